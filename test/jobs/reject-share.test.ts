// RejectShare: the recipient rejects a share; their copy is removed and the sender sees the share rejected.
import { aliceWithDeLoreanAndBob, failing, job, withService } from './support/job-harness.js'

const suite = withService()
let shareId: string

beforeAll(async () => {
  const { itemId, aliceToBob } = await aliceWithDeLoreanAndBob(suite)
  shareId = (await job(await suite.person('alice'), 'ShareItem', { item_id: itemId, connection_id: aliceToBob, acceptance_required: true }, 201)).share.id
})

describe('RejectShare', () => {
  it('rejects the share: the recipient\'s copy is gone and the sender sees it rejected', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    expect((await job(bob, 'RejectShare', { share_id: shareId })).share).toMatchObject({ id: shareId, direction: 'incoming', acceptance: 'rejected', item_id: null })
    expect((await job(bob, 'ListItems', {})).items).toEqual([])
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares).toEqual([expect.objectContaining({ id: shareId, acceptance: 'rejected' })])
  })

  it('answers a rejected share 410, to rejecting it again and to reading it', async () => {
    const bob = await suite.person('bob')
    expect(await failing(bob, 'RejectShare', { share_id: shareId })).toEqual({ code: 410, message: 'share was rejected' })
    expect(await failing(bob, 'GetIncomingShare', { share_id: shareId })).toEqual({ code: 410, message: 'share was rejected' })
  })

  it('answers someone who did not receive it as not found (404)', async () => {
    expect(await failing(await suite.person('alice'), 'RejectShare', { share_id: shareId })).toEqual({ code: 404, message: 'share not found' })
  })
})
