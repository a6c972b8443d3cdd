// Attacks on the intercoop target API of a running endo-vault entity B, made with a peer A it knows:
// replayed and tampered packages, unknown peers, reused continuation tokens.
import fs from 'node:fs'
import path from 'node:path'
import { createPrivateKey } from 'node:crypto'
import { generateIntercoopKeyPair, producePackage } from '../../../src/core/intercoop/index.js'
import { hardeningFields } from '../../../src/core/intercoop/package-hardening.js'
import type { TestService } from '../../support/test-service.js'
import { introduce, startEntityService, targetDescriptor } from '../../e2e/intercoop.fixture.js'
import type { Attack } from './attack.js'

export async function intercoopAttacks (): Promise<{ attacks: Attack[], services: TestService[] }> {
  const [a, b] = await Promise.all([startEntityService({ peerid: 'sourcecoop' }), startEntityService({ peerid: 'targetcoop', descriptor: targetDescriptor('targetcoop') })])
  await introduce(a, b)
  const keyOfA = createPrivateKey(fs.readFileSync(path.join(a.dataDir, 'intercoop', 'private-key.pem'), 'utf8'))
  const stranger = createPrivateKey(generateIntercoopKeyPair().privateKeyPem)
  const activate = `${b.httpUrl}/intercoop/activateService`
  const post = async (body: string): Promise<{ status: number, text: string }> => {
    const response = await fetch(activate, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body })
    return { status: response.status, text: await response.text() }
  }
  const payload = (originpeer = 'sourcecoop'): Record<string, any> => ({
    originpeer, nif: '12345678Z', email: 'ana@example.org', ...hardeningFields('targetcoop', 'newsletter', new Date(), 60_000), lang: 'es',
  })
  const refusedAs = (errorClass: string) => (answer: { status: number, text: string }): boolean => answer.status >= 400 && answer.status < 500 && answer.text.includes(`error: ${errorClass}`)

  const accepted = producePackage(payload(), keyOfA)
  const first = await post(accepted)
  if (first.status !== 200) throw new Error(`a genuine package was refused: ${first.text}`)
  const continuationUrl = /continuationUrl: (.+)/.exec(first.text)?.[1]?.replace(/^'|'$/g, '') ?? ''
  await fetch(continuationUrl).then(async r => await r.text())

  return {
    services: [a, b],
    attacks: [
      { name: 'replaying an intercoop package that was already accepted', attempt: async () => refusedAs('ReplayedPackage')(await post(accepted)) },
      { name: 'reusing an intercoop continuation token', attempt: async () => (await fetch(continuationUrl)).status === 404 },
      { name: 'sending an intercoop package signed by a key the peer does not hold', attempt: async () => refusedAs('BadSignature')(await post(producePackage(payload(), stranger))) },
      { name: 'sending an intercoop package from an unknown peer', attempt: async () => refusedAs('BadPeer')(await post(producePackage(payload('nobodycoop'), stranger))) },
      {
        name: 'tampering with the payload of a signed intercoop package',
        attempt: async () => {
          // A's signature over one payload, carried with another (the email changed).
          const original = payload()
          const signed = producePackage(original, keyOfA)
          const altered = producePackage({ ...original, email: 'mallory@example.org' }, stranger)
          const tampered = altered.replace(/signature: .*/, /signature: .*/.exec(signed)?.[0] ?? '')
          return refusedAs('BadSignature')(await post(tampered))
        },
      },
      {
        name: 'sending an intercoop package addressed to another peer',
        attempt: async () => refusedAs('WrongTargetPeer')(await post(producePackage({ ...payload(), targetpeer: 'othercoop' }, keyOfA))),
      },
    ],
  }
}
