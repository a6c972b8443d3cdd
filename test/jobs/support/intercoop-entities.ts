// The intercoop per-job suites' world: two endo-vault services introduced to each other as intercoop
// entities (A, `sourcecoop`, where the person is; B, `targetcoop`, offering `contract` and `newsletter`),
// started in beforeAll and stopped (with the secret-leak scan) in afterAll; the person is onboarded on A.
import { onboardPerson, type Person } from '../../support/person.js'
import type { TestService } from '../../support/test-service.js'
import { introduce, startEntityService, targetDescriptor } from '../../e2e/intercoop.fixture.js'

export { dataOf, get } from '../../e2e/intercoop.fixture.js'

/** An OIDC-like profile whose values fill B's fields (the locale makes Spanish the person's language). */
export const NURIA = {
  sub: 'nuria',
  name: 'Núria Ñandú',
  given_name: 'Núria',
  family_name: 'Ñandú',
  email: 'nuria@example.coop',
  locale: 'es-ES',
  nif: '12345678Z',
  address: { street_address: 'Carrer Major 1', postal_code: '08012', locality: 'Barcelona', region: 'Barcelona', country: 'es' },
}

export interface IntercoopSuite {
  readonly source: TestService
  readonly target: TestService
  /** Núria, onboarded on the source entity. */
  readonly person: Person
}

export function withIntercoopEntities (): IntercoopSuite {
  let source: TestService | undefined
  let target: TestService | undefined
  let person: Person | undefined
  const config = { vault: { connectionKeyBits: 2048 } }

  beforeAll(async () => {
    ;[source, target] = await Promise.all([
      startEntityService({ peerid: 'sourcecoop', config }),
      startEntityService({ peerid: 'targetcoop', descriptor: targetDescriptor('targetcoop'), config }),
    ])
    await introduce(source, target)
    person = await onboardPerson(source, { username: 'nuria', profile: NURIA })
  })
  afterAll(async () => {
    await person?.end()
    await Promise.all([source?.stop(), target?.stop()])
  })

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the entities start in beforeAll: use them inside a test or hook')
    return value
  }
  return {
    get source () { return started(source) },
    get target () { return started(target) },
    get person () { return started(person) },
  }
}

/** Previews B's service for the person and returns the consent id the preview gave. */
export async function previewedConsent (person: Person, service = 'contract'): Promise<string> {
  const reply = await person.sendJob('PreviewIntercoopActivation', { peer: 'targetcoop', service })
  if (reply.metadata?.code !== 200) throw new Error(`PreviewIntercoopActivation answered ${JSON.stringify(reply.metadata)}`)
  return reply.data.consentId
}
