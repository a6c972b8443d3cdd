// GetIncomingShare: a received share with its item decrypted and each value verified against the owner's hash;
// 403 before a required acceptance. test/e2e/vault-walkthrough.test.ts shows a tampered value refused.
import { aliceWithDeLoreanAndBob, failing, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()
let aliceToBob: string, itemId: string

beforeAll(async () => { ({ aliceToBob, itemId } = await aliceWithDeLoreanAndBob(suite)) })

describe('GetIncomingShare', () => {
  it('gives the recipient the share and the item, every value decrypted and verified', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob, slot_name: 'licence_plate' }, 201)
    const read = await job(bob, 'GetIncomingShare', { share_id: share.id })
    expect(read.share).toMatchObject({ id: share.id, direction: 'incoming', slot_name: 'licence_plate' })
    expect(read.item).toMatchObject({ own: false, share_id: share.id, label: 'DeLorean', template_name: 'vehicle' })
    expect(read.item.slots).toEqual([expect.objectContaining({ name: 'licence_plate', value: 'OUTATIME', value_verified: true })])
    await job(alice, 'DeleteShare', { share_id: share.id })
  })

  it('refuses a share whose terms are not accepted yet (403)', async () => {
    const { share } = await job(await suite.person('alice'), 'ShareItem', { item_id: itemId, connection_id: aliceToBob, terms: 'No time travel' }, 201)
    const bob = await suite.person('bob')
    expect(await failing(bob, 'GetIncomingShare', { share_id: share.id })).toEqual({ code: 403, message: 'share must be accepted before it can be read' })
    await job(bob, 'AcceptShare', { share_id: share.id })
    expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: share.id })).item).make).toBe('DeLorean Motor Company')
  })

  it('answers the sender, who did not receive it, as not found (404)', async () => {
    const alice = await suite.person('alice')
    const [share] = (await job(alice, 'ListShares', { direction: 'outgoing' })).shares
    expect(await failing(alice, 'GetIncomingShare', { share_id: share.id })).toEqual({ code: 404, message: 'share not found' })
  })
})
