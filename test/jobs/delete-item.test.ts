// DeleteItem: the person's own item goes with all its shares; a received copy goes with its share.
import { connectPeople, DELOREAN, failing, job, withService } from './support/job-harness.js'

const suite = withService()

describe('DeleteItem', () => {
  it('deletes the item: it is gone from GetItem and ListItems', async () => {
    const alice = await suite.person('alice')
    const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
    expect(await job(alice, 'DeleteItem', { item_id: item.id })).toEqual({ item_id: item.id, deleted: true })
    expect(await failing(alice, 'GetItem', { item_id: item.id })).toEqual({ code: 404, message: 'item not found' })
    expect((await job(alice, 'ListItems', {})).items).toEqual([])
  })

  it('deletes a shared item with its shares: the recipient\'s copy and share go too', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { inviterConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
    const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
    await job(alice, 'ShareItem', { item_id: item.id, connection_id: inviterConnection }, 201)
    expect((await job(bob, 'ListItems', {})).items).toHaveLength(1)
    await job(alice, 'DeleteItem', { item_id: item.id })
    expect((await job(bob, 'ListItems', {})).items).toEqual([])
    expect((await job(bob, 'ListShares', { direction: 'incoming' })).shares).toEqual([])
  })

  it('answers an item already deleted, or someone else\'s, as not found (404)', async () => {
    const alice = await suite.person('alice')
    const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
    expect(await failing(await suite.person('biff'), 'DeleteItem', { item_id: item.id })).toEqual({ code: 404, message: 'item not found' })
    await job(alice, 'DeleteItem', { item_id: item.id })
    expect(await failing(alice, 'DeleteItem', { item_id: item.id })).toEqual({ code: 404, message: 'item not found' })
  })
})
