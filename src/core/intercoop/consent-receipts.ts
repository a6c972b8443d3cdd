// Consent receipts (reference §A4: what upstream lacks): who consented to send which fields (a
// hash of the values) to which peer's service, under which privacy policy, when; and withdrawal,
// which tells the peer when its API offers it (GET protocolVersion lists `withdrawConsent`).
import type { IntercoopReceiptRow } from '../store/tables/intercoop.js'
import { producePackage } from './produce-package.js'
import { hardeningFields } from './package-hardening.js'
import { callPeer } from './peer-client.js'
import { sourceSettings, type IntercoopSourceDeps } from './source-deps.js'
import { IntercoopError, NoSuchReceipt, type IntercoopWireError } from './errors.js'

export interface ConsentReceipt {
  id: string
  consentId: string
  person: string
  peerid: string
  service: string
  fields: string[]
  /** `hmac-sha256:<salt>:<mac>` of the values sent (they are not kept). */
  valuesHash: string
  privacyPolicyUrl: string
  /** The peer descriptor's peerVersion when consent was given. */
  peerVersion: number | null
  activatedAt: string
  withdrawnAt: string | null
  peerNotifiedAt: string | null
}

export function receiptOfRow (row: IntercoopReceiptRow): ConsentReceipt {
  return {
    id: row.id,
    consentId: row.consent_id,
    person: row.person,
    peerid: row.peerid,
    service: row.service,
    fields: JSON.parse(row.fields) as string[],
    valuesHash: row.values_hash,
    privacyPolicyUrl: row.privacy_policy_url,
    peerVersion: row.peer_version === null ? null : Number(row.peer_version),
    activatedAt: row.activated_at,
    withdrawnAt: row.withdrawn_at,
    peerNotifiedAt: row.peer_notified_at,
  }
}

/** A person's receipts, newest first. */
export async function listConsentReceipts (deps: IntercoopSourceDeps, input: { person: string }): Promise<ConsentReceipt[]> {
  const rows = await deps.store.selectFrom('intercoop_receipts').selectAll()
    .where('person', '=', input.person)
    .orderBy('activated_at', 'desc').orderBy('id')
    .execute()
  return rows.map(receiptOfRow)
}

export interface WithdrawalResult {
  receipt: ConsentReceipt
  /** The peer was told (now or at an earlier withdrawal). */
  peerNotified: boolean
  /** Why telling the peer failed, when its API offers withdrawal but refused or was unreachable. */
  notifyError?: IntercoopWireError
}

/**
 * Marks the consent withdrawn (always recorded, whatever the peer does), then tells the peer when
 * its API offers `withdrawConsent`. Withdrawing again changes nothing.
 */
export async function withdrawConsent (deps: IntercoopSourceDeps, input: { person: string, receiptId: string }): Promise<WithdrawalResult> {
  const { options, now, http } = sourceSettings(deps)
  const { store } = deps
  const row = await store.selectFrom('intercoop_receipts').selectAll()
    .where('id', '=', input.receiptId).where('person', '=', input.person)
    .executeTakeFirst()
  if (row === undefined) throw new NoSuchReceipt(input.receiptId)
  if (row.withdrawn_at !== null) return { receipt: receiptOfRow(row), peerNotified: row.peer_notified_at !== null }

  const withdrawnAt = now().toISOString()
  await store.updateTable('intercoop_receipts').set({ withdrawn_at: withdrawnAt }).where('id', '=', row.id).execute()
  let withdrawn: IntercoopReceiptRow = { ...row, withdrawn_at: withdrawnAt }
  deps.logger?.info({ event: 'intercoop.consent.withdrawn', peerid: row.peerid, service: row.service, receipt: row.id }, 'intercoop consent withdrawn')

  let notifyError: IntercoopWireError | undefined
  try {
    const peer = deps.peers.get(row.peerid)
    const version = await callPeer(http, `${peer.targetUrl}/protocolVersion`)
    const extensions = Array.isArray(version.extensions) ? version.extensions : []
    if (!extensions.includes('withdrawConsent')) return { receipt: receiptOfRow(withdrawn), peerNotified: false }
    const hardening = hardeningFields(peer.peerid, row.service, now(), options.packageLifetimeSeconds * 1000)
    const envelope = producePackage({ originpeer: deps.entity.peerid, withdrawnNonce: row.nonce, ...hardening }, deps.entity.privateKey)
    await callPeer(http, `${peer.targetUrl}/withdrawConsent`, envelope)
    const notifiedAt = now().toISOString()
    await store.updateTable('intercoop_receipts').set({ peer_notified_at: notifiedAt }).where('id', '=', row.id).execute()
    withdrawn = { ...withdrawn, peer_notified_at: notifiedAt }
  } catch (error) {
    if (!(error instanceof IntercoopError)) throw error
    notifyError = error.toWire()
    deps.logger?.warn({ event: 'intercoop.withdrawal.notify_failed', peerid: row.peerid, error: error.name }, 'could not tell the peer about a withdrawal')
  }
  return {
    receipt: receiptOfRow(withdrawn),
    peerNotified: withdrawn.peer_notified_at !== null,
    ...(notifyError !== undefined ? { notifyError } : {}),
  }
}
