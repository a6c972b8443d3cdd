// ListIntercoopServices: the intercoop peers and the services each offers (reference intercoop-auroral §A0.1),
// in the message's language, else the profile's locale. test/e2e/intercoop.test.ts walks the whole sequence.
import { invalidMessage } from './support/job-harness.js'
import { dataOf, withIntercoopEntities } from './support/intercoop-entities.js'

const suite = withIntercoopEntities()

describe('ListIntercoopServices', () => {
  it('lists the peer and its services with each field\'s label, in the language of the profile\'s locale', async () => {
    const data = dataOf(await suite.person.sendJob('ListIntercoopServices', {}))
    expect(data.lang).toBe('es')
    expect(data.peers).toEqual([expect.objectContaining({ peerid: 'targetcoop', name: 'Target SCCL', description: 'Cooperativa de energía', privacyPolicyUrl: 'https://target.example.coop/es/privacidad' })])
    expect(data.peers[0].services.map((s: { id: string, name: string }) => [s.id, s.name])).toEqual([['contract', 'Contrata la luz'], ['newsletter', 'Newsletter']])
    expect(data.peers[0].services[1].fields).toEqual([{ name: 'email', label: 'Correo electrónico' }, { name: 'lang', label: 'Idioma' }])
  })

  it('lists them in the language the message asks for', async () => {
    const data = dataOf(await suite.person.sendJob('ListIntercoopServices', { lang: 'en' }))
    expect(data.lang).toBe('en')
    expect(data.peers[0].services[0]).toMatchObject({ name: 'Electricity contract', description: 'Sign a green electricity contract' })
  })

  it('refuses a language that is not a language code, naming the field (422)', async () => {
    expect(await invalidMessage(suite.person, 'ListIntercoopServices', { lang: 'English' })).toEqual(['message.data.lang has the wrong form (expected ^[a-z]{2,3}$)'])
  })
})
