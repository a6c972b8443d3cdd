// ActivateIntercoopService: the consent given on a preview becomes a signed package the peer accepts
// (reference intercoop-auroral §A0.3, §A1); the reply holds the peer's continuation URL and the receipt.
// test/e2e/intercoop.test.ts covers the peer's refusals and changed values.
import { dataOf, get, previewedConsent, withIntercoopEntities } from './support/intercoop-entities.js'
import { parseYaml } from '../../src/core/intercoop/index.js'

const suite = withIntercoopEntities()

describe('ActivateIntercoopService', () => {
  let consentId: string

  it('activates the previewed service: the peer\'s continuation URL hands out exactly the previewed values', async () => {
    consentId = await previewedConsent(suite.person, 'newsletter')
    const data = dataOf(await suite.person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'newsletter', consentId }))
    expect(data.continuationUrl).toMatch(new RegExp(`^${suite.target.httpUrl}/intercoop/activateService/[0-9a-f-]{36}$`))
    expect(data.receipt).toMatchObject({ consentId, peerid: 'targetcoop', service: 'newsletter', fields: ['originpeer', 'email', 'lang'], withdrawnAt: null })
    const handedOut = await get(data.continuationUrl)
    expect(handedOut.status).toBe(200)
    expect(parseYaml(handedOut.text)).toMatchObject({ originpeer: 'sourcecoop', email: 'nuria@example.coop', lang: 'es', service: 'newsletter', targetpeer: 'targetcoop' })
  })

  it('refuses the same consent a second time with ConsentAlreadyUsed 409', async () => {
    const reply = await suite.person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'newsletter', consentId })
    expect(reply.metadata).toMatchObject({ code: 409, error: { name: 'ConsentAlreadyUsed', message: `The consent '${consentId}' was already used; preview the activation again` } })
  })

  it('answers a consent id no preview gave with NoSuchConsent 404', async () => {
    const reply = await suite.person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId: 'never-previewed' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchConsent', message: "No consent 'never-previewed' for this person" } })
  })
})
