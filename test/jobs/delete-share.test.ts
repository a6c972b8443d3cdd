// DeleteShare: its sender, its recipient or the item's owner deletes a share, with the recipient's copy.
import { aliceWithDeLoreanAndBob, failing, job, withService } from './support/job-harness.js'

const suite = withService()
let aliceToBob: string, itemId: string

beforeAll(async () => { ({ aliceToBob, itemId } = await aliceWithDeLoreanAndBob(suite)) })

describe('DeleteShare', () => {
  it('deleted by the recipient, takes their copy and leaves the sender\'s item', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)
    expect(await job(bob, 'DeleteShare', { share_id: share.id })).toEqual({ share_id: share.id, deleted: true })
    expect((await job(bob, 'ListItems', {})).items).toEqual([])
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares).toEqual([])
    expect((await job(alice, 'GetItem', { item_id: itemId })).item.label).toBe('DeLorean')
  })

  it('deleted by the sender, is gone for the recipient too', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)
    await job(alice, 'DeleteShare', { share_id: share.id })
    expect(await failing(bob, 'GetIncomingShare', { share_id: share.id })).toEqual({ code: 404, message: 'share not found' })
  })

  it('answers a deleted share, or someone else\'s, as not found (404)', async () => {
    const alice = await suite.person('alice')
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)
    expect(await failing(await suite.person('biff'), 'DeleteShare', { share_id: share.id })).toEqual({ code: 404, message: 'share not found' })
    await job(alice, 'DeleteShare', { share_id: share.id })
    expect(await failing(alice, 'DeleteShare', { share_id: share.id })).toEqual({ code: 404, message: 'share not found' })
  })
})
