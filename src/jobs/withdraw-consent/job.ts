// WithdrawConsent: marks a consent receipt withdrawn and tells the peer when its API offers the
// withdrawConsent extension (GET protocolVersion); otherwise the withdrawal is only recorded.
import { defineJob } from '../../core/endo/job-definition.js'
import { consentReceiptReply, withdrawConsent } from '../../core/intercoop/index.js'
import type { WithdrawConsentMessageData, WithdrawConsentResponseData } from './types.js'

export default defineJob<WithdrawConsentMessageData, WithdrawConsentResponseData>(async ({ data, parties, services }) => {
  const result = await withdrawConsent(services.intercoop.source(), { person: parties.credentialsUuid, receiptId: data.receiptId })
  return {
    code: 200,
    data: {
      receipt: consentReceiptReply(result.receipt),
      peerNotified: result.peerNotified,
      ...(result.notifyError !== undefined ? { notifyError: { error: result.notifyError.error, message: result.notifyError.message } } : {}),
    },
  }
})
