// AcceptInvitation: both sides get a connection under the name each gave; a second invitation between the
// same two answers with the existing connection.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService()

describe('AcceptInvitation', () => {
  it('connects the two: each lists the other under the name they gave', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { token } = await job(alice, 'CreateInvitation', { name: 'Bob from next door' }, 201)
    const accepted = await job(bob, 'AcceptInvitation', { token, name: 'Alice the owner' }, 201)
    expect(accepted).toEqual({
      connection: { id: expect.any(String), name: 'Alice the owner', connection_type: null, integration_data: null, created_at: expect.any(String) },
      connection_existed_already: false,
    })
    expect((await job(alice, 'ListConnections', {})).connections.map((c: { name: string }) => c.name)).toEqual(['Bob from next door'])
  })

  it('answers a second invitation between the same two with the existing connection (200)', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { token } = await job(alice, 'CreateInvitation', {}, 201)
    const again = await job(bob, 'AcceptInvitation', { token, name: 'Another name' }, 200)
    expect(again).toMatchObject({ connection: { name: 'Alice the owner' }, connection_existed_already: true })
  })

  it('refuses the inviter\'s own token (422) and a used one (410)', async () => {
    const alice = await suite.person('alice')
    const { token } = await job(alice, 'CreateInvitation', {}, 201)
    expect(await failing(alice, 'AcceptInvitation', { token })).toEqual({ code: 422, message: 'an invitation cannot be accepted by the person who created it' })
    await job(await suite.person('biff'), 'AcceptInvitation', { token }, 201)
    expect(await failing(await suite.person('bob'), 'AcceptInvitation', { token })).toEqual({ code: 410, message: 'invitation was already used' })
  })
})
