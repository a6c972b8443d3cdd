// PushItemUpdates: the owner sends the item's current values to every share of it; until then recipients
// read the values they received.
import { aliceWithDeLoreanAndBob, failing, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()
let itemId: string, shareId: string

beforeAll(async () => {
  let aliceToBob: string
  ;({ itemId, aliceToBob } = await aliceWithDeLoreanAndBob(suite))
  shareId = (await job(await suite.person('alice'), 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)).share.id
})

describe('PushItemUpdates', () => {
  it('sends the changed values to the recipient, who read the old ones until then', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { outstanding_share_updates: outstanding } = await job(alice, 'UpdateItem', { item_id: itemId, slots: [{ name: 'licence_plate', value: 'OUTATIME-1985' }] })
    expect(outstanding).toBe(1)
    expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: shareId })).item).licence_plate).toBe('OUTATIME')
    expect(await job(alice, 'PushItemUpdates', { item_id: itemId })).toEqual({ item_id: itemId, pushed: 1 })
    expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: shareId })).item).licence_plate).toBe('OUTATIME-1985')
  })

  it('refuses the recipient, whose copy only its owner changes (403)', async () => {
    const bob = await suite.person('bob')
    const { item } = await job(bob, 'GetIncomingShare', { share_id: shareId })
    expect(await failing(bob, 'PushItemUpdates', { item_id: item.id })).toEqual({ code: 403, message: 'a received item cannot be changed; only its owner changes it' })
  })

  it('answers someone else\'s item as not found (404)', async () => {
    expect(await failing(await suite.person('biff'), 'PushItemUpdates', { item_id: itemId })).toEqual({ code: 404, message: 'item not found' })
  })
})
