// WithdrawConsent: marks a consent receipt withdrawn and tells the peer, whose API offers the
// withdrawConsent extension (reference intercoop-auroral §A4).
import { dataOf, previewedConsent, withIntercoopEntities } from './support/intercoop-entities.js'

const suite = withIntercoopEntities()

describe('WithdrawConsent', () => {
  it('withdraws the consent, and the peer is told and records it', async () => {
    const consentId = await previewedConsent(suite.person, 'newsletter')
    const { receipt } = dataOf(await suite.person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'newsletter', consentId }))
    const data = dataOf(await suite.person.sendJob('WithdrawConsent', { receiptId: receipt.id }))
    expect(data).toEqual({ receipt: { ...receipt, withdrawnAt: expect.any(String), peerNotifiedAt: expect.any(String) }, peerNotified: true })
    expect(await suite.target.store.selectFrom('intercoop_withdrawals').select(['originpeer', 'service']).execute()).toEqual([{ originpeer: 'sourcecoop', service: 'newsletter' }])
    expect(dataOf(await suite.person.sendJob('ListConsentReceipts', {})).receipts[0].withdrawnAt).toBe(data.receipt.withdrawnAt)
  })

  it('answers an unknown receipt with NoSuchReceipt 404', async () => {
    const reply = await suite.person.sendJob('WithdrawConsent', { receiptId: 'no-such-receipt' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchReceipt', message: "No consent receipt 'no-such-receipt' for this person" } })
  })
})
