// ShareItem: the owner shares an item, or one slot of it, over a connection; the recipient gets a copy
// encrypted under a fresh share key. test/e2e/vault-walkthrough.test.ts follows shares further.
import { aliceWithDeLoreanAndBob, failing, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()
let aliceToBob: string, itemId: string

beforeAll(async () => { ({ aliceToBob, itemId } = await aliceWithDeLoreanAndBob(suite)) })

describe('ShareItem', () => {
  it('shares the item: the recipient lists it and reads its values', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)
    expect(share).toEqual({
      id: expect.any(String), direction: 'outgoing', item_id: itemId, label: 'DeLorean', slot_name: null, connection_id: aliceToBob,
      acceptance: 'acceptance_not_required', terms: null, onsharing_permitted: false, on_share: false, expires_at: null,
      created_at: expect.any(String), updated_at: expect.any(String),
    })
    expect((await job(bob, 'ListShares', { direction: 'incoming' })).shares.map((s: { id: string }) => s.id)).toEqual([share.id])
    expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: share.id })).item).licence_plate).toBe('OUTATIME')
  })

  it('refuses a second share of the item over the same connection (409)', async () => {
    expect(await failing(await suite.person('alice'), 'ShareItem', { item_id: itemId, connection_id: aliceToBob }))
      .toEqual({ code: 409, message: 'this item is already shared over this connection' })
  })

  it('refuses the recipient sharing their copy: that is OnShareItem (403)', async () => {
    const bob = await suite.person('bob')
    const [copy] = (await job(bob, 'ListItems', {})).items
    const [bobToAlice] = (await job(bob, 'ListConnections', {})).connections
    expect(await failing(bob, 'ShareItem', { item_id: copy.id, connection_id: bobToAlice.id }))
      .toEqual({ code: 403, message: 'only the owner shares an item; on-share a received item with OnShareItem' })
  })

  it('answers a slot the item lacks as not found (404)', async () => {
    const alice = await suite.person('alice')
    const { item } = await job(alice, 'CreateItem', { template_name: 'custom', label: 'Almanac' }, 201)
    expect(await failing(alice, 'ShareItem', { item_id: item.id, connection_id: aliceToBob, slot_name: 'sports_results' })).toEqual({ code: 404, message: 'slot not found' })
  })
})
