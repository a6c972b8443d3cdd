// A consent receipt as a job replies it (schemas/ConsentReceipt.json): every field but the person id,
// which is the caller's own credentials device and stays inside the service.
import type * as Wire from '../wire/schema-types.js'
import type { ConsentReceipt } from './consent-receipts.js'

export function consentReceiptReply (receipt: ConsentReceipt): Wire.ConsentReceipt {
  return {
    id: receipt.id,
    consentId: receipt.consentId,
    peerid: receipt.peerid,
    service: receipt.service,
    fields: receipt.fields,
    valuesHash: receipt.valuesHash,
    privacyPolicyUrl: receipt.privacyPolicyUrl,
    peerVersion: receipt.peerVersion,
    activatedAt: receipt.activatedAt,
    withdrawnAt: receipt.withdrawnAt,
    peerNotifiedAt: receipt.peerNotifiedAt,
  }
}
