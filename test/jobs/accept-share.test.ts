// AcceptShare: the recipient accepts a share (and its terms); before that it cannot be read.
import { aliceWithDeLoreanAndBob, failing, job, withService } from './support/job-harness.js'

const suite = withService()
let aliceToBob: string, itemId: string

beforeAll(async () => { ({ aliceToBob, itemId } = await aliceWithDeLoreanAndBob(suite)) })

/** A share of the item to Bob, with terms (so acceptance is required). */
async function shareWithTerms (): Promise<string> {
  return (await job(await suite.person('alice'), 'ShareItem', { item_id: itemId, connection_id: aliceToBob, terms: 'For insurance quotes only' }, 201)).share.id
}

describe('AcceptShare', () => {
  it('accepts the share: the recipient can read it and the sender sees it accepted', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    const shareId = await shareWithTerms()
    expect((await job(bob, 'AcceptShare', { share_id: shareId })).share).toMatchObject({ id: shareId, direction: 'incoming', acceptance: 'accepted', terms: 'For insurance quotes only' })
    expect((await job(bob, 'GetIncomingShare', { share_id: shareId })).item.label).toBe('DeLorean')
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares[0].acceptance).toBe('accepted')
    await job(alice, 'DeleteShare', { share_id: shareId })
  })

  it('refuses a share the recipient rejected (410)', async () => {
    const bob = await suite.person('bob')
    const shareId = await shareWithTerms()
    await job(bob, 'RejectShare', { share_id: shareId })
    expect(await failing(bob, 'AcceptShare', { share_id: shareId })).toEqual({ code: 410, message: 'share was rejected' })
  })

  it('answers the sender, who cannot accept for the recipient, as not found (404)', async () => {
    const alice = await suite.person('alice')
    const [share] = (await job(alice, 'ListShares', { direction: 'outgoing' })).shares
    expect(await failing(alice, 'AcceptShare', { share_id: share.id })).toEqual({ code: 404, message: 'share not found' })
  })
})
