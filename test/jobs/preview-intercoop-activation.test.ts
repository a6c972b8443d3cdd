// PreviewIntercoopActivation: the consent screen (reference intercoop-auroral §A4): each field a peer's
// service needs with its label, the person's value and where it came from, the peer's privacy policy,
// and a consent id bound to exactly these values.
import { dataOf, withIntercoopEntities } from './support/intercoop-entities.js'

const suite = withIntercoopEntities()

describe('PreviewIntercoopActivation', () => {
  it('shows each field with the person\'s profile value, the peer, and its privacy policy', async () => {
    const data = dataOf(await suite.person.sendJob('PreviewIntercoopActivation', { peer: 'targetcoop', service: 'newsletter' }))
    expect(data).toEqual({
      consentId: expect.any(String),
      peer: { peerid: 'targetcoop', name: 'Target SCCL', logo: 'https://target.example.coop/logo.png', url: 'https://target.example.coop/es' },
      service: { id: 'newsletter', name: 'Newsletter', description: 'Noticias por correo' },
      fields: [
        { name: 'originpeer', label: 'Entidad de origen', value: 'sourcecoop', source: 'entity' },
        { name: 'email', label: 'Correo electrónico', value: 'nuria@example.coop', source: 'profile' },
        { name: 'lang', label: 'Idioma', value: 'es', source: 'profile' },
      ],
      privacyPolicyUrl: 'https://target.example.coop/es/privacidad',
      expiresAt: expect.any(String),
    })
  })

  it('answers a peer it does not know with NoSuchPeer 404', async () => {
    const reply = await suite.person.sendJob('PreviewIntercoopActivation', { peer: 'nobody', service: 'contract' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchPeer', message: "No intercoop peer 'nobody'" } })
  })

  it('answers a service the peer does not offer with UnknownService 404', async () => {
    const reply = await suite.person.sendJob('PreviewIntercoopActivation', { peer: 'targetcoop', service: 'solar' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'UnknownService', message: "The entity 'targetcoop' offers no service 'solar'" } })
  })
})
