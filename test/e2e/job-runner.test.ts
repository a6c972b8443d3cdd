import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'

describe('meshblu-endo §5.5: a job sent by a flow device to a user device', () => {
  let service: TestService
  let person: Person
  beforeAll(async () => {
    service = await startTestService()
    person = await onboardPerson(service, { username: 'alice' })
  })
  afterAll(async () => { await person.end(); await service.stop() })

  it('is answered by the user device with the job data and metadata.to = respondTo', async () => {
    const reply = await person.sendJob('Echo', { text: 'hello' })
    expect(reply.fromUuid).toBe(person.user.uuid)
    expect(reply.metadata).toMatchObject({ code: 200, status: 'OK' })
    expect(reply.data).toEqual({ text: 'hello', username: 'alice' })
  })

  it('sent over HTTP is answered the same way on the sender\'s MQTT connection', async () => {
    const flow = (await service.bus.registry.get(person.flow.uuid))
    expect(flow).toBeDefined()
    const session = await service.bus.createSessionToken({ uuid: person.flow.uuid }, person.flow.uuid, {})
    const response = await fetch(`${service.httpUrl}/messages`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${person.flow.uuid}:${session.token}`).toString('base64'), 'content-type': 'application/json' },
      body: JSON.stringify({ devices: [person.user.uuid], metadata: { jobType: 'Echo', respondTo: 'over-http' }, data: { text: 'via http' } }),
    })
    expect(response.status).toBe(204)
    const reply = await person.flow.next(e => e.data?.metadata?.to === 'over-http')
    expect(reply.data).toMatchObject({ fromUuid: person.user.uuid, metadata: { code: 200 }, data: { text: 'via http', username: 'alice' } })
  })

  it('with an unknown jobType is answered 404', async () => {
    const reply = await person.sendJob('NoSuchJob', {})
    expect(reply.metadata).toMatchObject({ code: 404, status: 'Not Found' })
  })

  it('whose data fails the schema is answered 422 naming each failing field', async () => {
    const reply = await person.sendJob('Echo', { text: 5, extra: true })
    expect(reply.metadata).toMatchObject({ code: 422, status: 'Unprocessable Entity' })
    expect(reply.data.errors).toEqual(expect.arrayContaining(['message.data.text must be a string', 'message.data has an unknown field "extra"']))
  })
})
