// Step 1 for a person (reference §A4 "consent"): which fields, with which of the person's values,
// would go to which peer's service, under which privacy policy; and a consent id bound to exactly
// those values (stored as a hash).
import { randomUUID } from 'node:crypto'
import type { YamlValue } from './yaml-1-1.js'
import { requiredFields, serviceOf } from './catalogue.js'
import { fieldLabel } from './field-labels.js'
import { translate } from './translation.js'
import { canonicalValues, hashValues } from './values-hash.js'
import { sourceSettings, type IntercoopSourceDeps } from './source-deps.js'

export interface PreviewInput {
  /** Who consents (the user device uuid or vault user id; the caller's choice, used consistently). */
  person: string
  peer: string
  service: string
  /** The person's values by field name (OAuth profile, mapped vault items); missing means null. */
  values: Record<string, YamlValue | undefined>
  lang: string
}

export interface PreviewField {
  name: string
  label: string
  value: YamlValue
}

export interface ActivationPreview {
  consentId: string
  peer: { peerid: string, name: string, logo: string, url: string }
  service: { id: string, name: string, description: string }
  fields: PreviewField[]
  privacyPolicyUrl: string
  expiresAt: string
}

/** The values a transfer carries: the person's, with `originpeer` set to this entity. */
export function transferValues (fields: string[], values: Record<string, YamlValue | undefined>, originpeer: string): Record<string, YamlValue> {
  return Object.fromEntries(fields.map(field => [field, field === 'originpeer' ? originpeer : values[field] ?? null]))
}

export async function previewActivation (deps: IntercoopSourceDeps, input: PreviewInput): Promise<ActivationPreview> {
  const { options, now } = sourceSettings(deps)
  const peer = deps.peers.get(input.peer)
  const fields = requiredFields(peer, input.service)
  const values = transferValues(fields, input.values, deps.entity.peerid)
  const privacyPolicyUrl = translate(peer.privacyPolicyUrl, input.lang)
  const createdAt = now()
  const expiresAt = new Date(createdAt.getTime() + options.previewTtlSeconds * 1000).toISOString()
  const consentId = randomUUID()
  // consents expired for a day are forgotten (until then, using one says "expired", not "unknown")
  await deps.store.deleteFrom('intercoop_consents')
    .where('expires_at', '<', new Date(createdAt.getTime() - 86_400_000).toISOString())
    .where('state', '!=', 'sending')
    .execute()
  await deps.store.insertInto('intercoop_consents').values({
    id: consentId,
    person: input.person,
    peerid: peer.peerid,
    service: input.service,
    fields: JSON.stringify(fields),
    values_hash: hashValues(canonicalValues(fields, values)),
    privacy_policy_url: privacyPolicyUrl,
    peer_version: peer.peerVersion,
    state: 'previewed',
    created_at: createdAt.toISOString(),
    expires_at: expiresAt,
  }).execute()
  const service = serviceOf(peer, input.service)
  return {
    consentId,
    peer: { peerid: peer.peerid, name: peer.name, logo: peer.logo, url: translate(peer.url, input.lang) },
    service: { id: input.service, name: translate(service.name, input.lang), description: translate(service.description, input.lang) },
    fields: fields.map(name => ({ name, label: fieldLabel(name, input.lang), value: values[name] ?? null })),
    privacyPolicyUrl,
    expiresAt,
  }
}
