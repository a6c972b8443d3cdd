// DeleteConnection: ends the connection for both sides, with the shares made over it.
import { connectPeople, DELOREAN, failing, job, withService } from './support/job-harness.js'

const suite = withService()

describe('DeleteConnection', () => {
  it('ends the connection on both sides and the shares made over it', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { inviterConnection, inviteeConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
    const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
    await job(alice, 'ShareItem', { item_id: item.id, connection_id: inviterConnection }, 201)
    expect(await job(bob, 'DeleteConnection', { connection_id: inviteeConnection })).toEqual({ connection_id: inviteeConnection, deleted: true })
    expect((await job(alice, 'ListConnections', {})).connections).toEqual([])
    expect((await job(bob, 'ListConnections', {})).connections).toEqual([])
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares).toEqual([])
    expect((await job(bob, 'ListItems', {})).items).toEqual([])
  })

  it('answers a deleted connection, or someone else\'s, as not found (404)', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { inviterConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
    expect(await failing(await suite.person('biff'), 'DeleteConnection', { connection_id: inviterConnection })).toEqual({ code: 404, message: 'connection not found' })
    await job(alice, 'DeleteConnection', { connection_id: inviterConnection })
    expect(await failing(alice, 'DeleteConnection', { connection_id: inviterConnection })).toEqual({ code: 404, message: 'connection not found' })
  })
})
