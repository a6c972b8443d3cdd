// ListShares: the shares a person received (incoming, the default) or made (outgoing).
import { aliceWithDeLoreanAndBob, invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()
let shareId: string, aliceToBob: string, bobToAlice: string

beforeAll(async () => {
  let itemId: string
  ;({ itemId, aliceToBob, bobToAlice } = await aliceWithDeLoreanAndBob(suite))
  shareId = (await job(await suite.person('alice'), 'ShareItem', { item_id: itemId, connection_id: aliceToBob, terms: 'Return it by 1985' }, 201)).share.id
})

describe('ListShares', () => {
  it('shows the sender the share as outgoing and the recipient as incoming, each with their own connection', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares).toEqual([expect.objectContaining({ id: shareId, direction: 'outgoing', connection_id: aliceToBob })])
    expect((await job(bob, 'ListShares', {})).shares).toEqual([expect.objectContaining({
      id: shareId, direction: 'incoming', connection_id: bobToAlice, label: 'DeLorean', terms: 'Return it by 1985', acceptance: 'acceptance_required',
    })])
    expect((await job(alice, 'ListShares', { direction: 'incoming' })).shares).toEqual([])
  })

  it('shows no one else\'s shares', async () => {
    const biff = await suite.person('biff')
    expect([(await job(biff, 'ListShares', { direction: 'incoming' })).shares, (await job(biff, 'ListShares', { direction: 'outgoing' })).shares]).toEqual([[], []])
  })

  it('refuses a direction it does not know, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'ListShares', { direction: 'sideways' })).toEqual(['message.data.direction must be one of: "incoming", "outgoing"'])
  })
})
