// ListConsentReceipts: the person's consent receipts (reference intercoop-auroral §A4), newest first.
import { dataOf, previewedConsent, withIntercoopEntities } from './support/intercoop-entities.js'
import { onboardPerson } from '../support/person.js'

const suite = withIntercoopEntities()

describe('ListConsentReceipts', () => {
  it('is empty before any activation', async () => {
    expect(dataOf(await suite.person.sendJob('ListConsentReceipts', {}))).toEqual({ receipts: [] })
  })

  it('lists a receipt per activation, newest first', async () => {
    for (const service of ['newsletter', 'contract']) {
      const consentId = await previewedConsent(suite.person, service)
      dataOf(await suite.person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service, consentId }))
    }
    const { receipts } = dataOf(await suite.person.sendJob('ListConsentReceipts', {}))
    expect(receipts.map((r: { service: string }) => r.service).sort()).toEqual(['contract', 'newsletter'])
    // two activations may share a millisecond, so the order is checked on the times, not the services
    const times = receipts.map((r: { activatedAt: string }) => r.activatedAt)
    expect(times).toEqual([...times].sort().reverse())
    expect(receipts[0]).toMatchObject({ id: expect.any(String), peerid: 'targetcoop', withdrawnAt: null, valuesHash: expect.stringMatching(/^hmac-sha256:/) })
    expect(receipts[0]).not.toHaveProperty('person')
  })

  it('shows another person none of them', async () => {
    const other = await onboardPerson(suite.source, { username: 'jordi' })
    try {
      expect(dataOf(await other.sendJob('ListConsentReceipts', {}))).toEqual({ receipts: [] })
    } finally {
      await other.end()
    }
  })
})
