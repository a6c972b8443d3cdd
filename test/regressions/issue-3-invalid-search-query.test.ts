// Found by the wire fuzzer: a token search whose query mingo could not evaluate answered 500.
import { startTestService, type TestService } from '../support/test-service.js'

describe('a device or token search with a query that cannot run', () => {
  let service: TestService
  let headers: Record<string, string>
  beforeAll(async () => {
    service = await startTestService()
    const { device, token } = await service.bus.register({})
    headers = { authorization: 'Basic ' + Buffer.from(`${device.uuid}:${token}`).toString('base64'), 'content-type': 'application/json' }
  })
  afterAll(async () => { await service.stop() })

  for (const body of ['{"tag":{"$in":3}}', '{"a":{"$bad":1}}', '{"$and":5}', '{"a":{"$regex":"("}}', '{"$where":"sleep(1000)"}']) {
    for (const path of ['/search/tokens', '/search/devices']) {
      it(`${path} ${body} is answered 422 saying what is wrong`, async () => {
        const response = await fetch(service.httpUrl + path, { method: 'POST', headers, body })
        expect(response.status).toBe(422)
        expect((await response.json() as { error: string }).error).toMatch(/^invalid (token|search) query: /)
      })
    }
  }
})
