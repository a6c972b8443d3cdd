// Step 2 for a person: the consent given on a preview becomes a signed package POSTed to the peer's
// `<targetUrl>/activateService` (reference §A0.3, §A1, §A5 hardening), and a consent receipt.
// Values that changed since the preview need a new preview; a consent is used once.
import { randomUUID } from 'node:crypto'
import type { YamlValue } from './yaml-1-1.js'
import { producePackage } from './produce-package.js'
import { hardeningFields } from './package-hardening.js'
import { callPeer } from './peer-client.js'
import { transferValues } from './preview-activation.js'
import { canonicalValues, valuesMatch } from './values-hash.js'
import { receiptOfRow, type ConsentReceipt } from './consent-receipts.js'
import { sourceSettings, type IntercoopSourceDeps } from './source-deps.js'
import { BackendError, ConsentAlreadyUsed, ConsentExpired, ConsentValuesChanged, IntercoopError, NoSuchConsent } from './errors.js'

export interface ActivateInput {
  person: string
  consentId: string
  /** When given, the consent must be for this peer and service (else NoSuchConsent). */
  peer?: string
  service?: string
  /** The person's current values (read again now); they must equal those previewed. */
  values: Record<string, YamlValue | undefined>
}

export interface ActivationResult {
  /** Where the person's browser goes next (it carries the peer's single-use token: do not log it). */
  continuationUrl: string
  receipt: ConsentReceipt
}

export async function activateService (deps: IntercoopSourceDeps, input: ActivateInput): Promise<ActivationResult> {
  const { options, now, http } = sourceSettings(deps)
  const { store, entity } = deps
  const consent = await store.selectFrom('intercoop_consents').selectAll()
    .where('id', '=', input.consentId).where('person', '=', input.person)
    .executeTakeFirst()
  if (consent === undefined) throw new NoSuchConsent(input.consentId)
  if ((input.peer !== undefined && input.peer !== consent.peerid) || (input.service !== undefined && input.service !== consent.service)) {
    throw new NoSuchConsent(input.consentId)
  }
  if (consent.state !== 'previewed') throw new ConsentAlreadyUsed(input.consentId)
  const startedAt = now()
  if (consent.expires_at < startedAt.toISOString()) throw new ConsentExpired(input.consentId, consent.expires_at)
  const fields = JSON.parse(consent.fields) as string[]
  const values = transferValues(fields, input.values, entity.peerid)
  if (!valuesMatch(consent.values_hash, canonicalValues(fields, values))) throw new ConsentValuesChanged(input.consentId)
  const peer = deps.peers.get(consent.peerid)

  // claim the consent, so two concurrent activations cannot both send
  const claimed = await store.updateTable('intercoop_consents').set({ state: 'sending' })
    .where('id', '=', consent.id).where('state', '=', 'previewed')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) throw new ConsentAlreadyUsed(input.consentId)

  const hardening = hardeningFields(peer.peerid, consent.service, startedAt, options.packageLifetimeSeconds * 1000)
  let continuationUrl: string
  try {
    const envelope = producePackage({ ...values, ...hardening }, entity.privateKey)
    const answer = await callPeer(http, `${peer.targetUrl}/activateService`, envelope)
    if (typeof answer.continuationUrl !== 'string') throw new BackendError('Wrong content format')
    continuationUrl = answer.continuationUrl
  } catch (error) {
    await store.updateTable('intercoop_consents').set({ state: 'previewed' }).where('id', '=', consent.id).execute()
    deps.logger?.warn({ event: 'intercoop.activation.failed', peerid: peer.peerid, service: consent.service, error: error instanceof IntercoopError ? error.name : 'Error' }, 'intercoop activation failed')
    throw error
  }

  const receiptRow = {
    id: randomUUID(),
    consent_id: consent.id,
    person: consent.person,
    peerid: consent.peerid,
    service: consent.service,
    fields: consent.fields,
    values_hash: consent.values_hash,
    privacy_policy_url: consent.privacy_policy_url,
    peer_version: consent.peer_version,
    nonce: hardening.nonce,
    activated_at: now().toISOString(),
    withdrawn_at: null,
    peer_notified_at: null,
  }
  await store.transaction().execute(async trx => {
    await trx.updateTable('intercoop_consents').set({ state: 'activated' }).where('id', '=', consent.id).execute()
    await trx.insertInto('intercoop_receipts').values(receiptRow).execute()
  })
  deps.logger?.info({ event: 'intercoop.activation.sent', peerid: peer.peerid, service: consent.service, receipt: receiptRow.id }, 'intercoop activation sent')
  return { continuationUrl, receipt: receiptOfRow(receiptRow) }
}
