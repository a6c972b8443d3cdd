// ListConsentReceipts: the person's consent receipts (reference intercoop-auroral §A4), newest first.
import { defineJob } from '../../core/endo/job-definition.js'
import { consentReceiptReply, listConsentReceipts } from '../../core/intercoop/index.js'
import type { ListConsentReceiptsMessageData, ListConsentReceiptsResponseData } from './types.js'

export default defineJob<ListConsentReceiptsMessageData, ListConsentReceiptsResponseData>(async ({ parties, services }) => {
  const receipts = await listConsentReceipts(services.intercoop.source(), { person: parties.credentialsUuid })
  return { code: 200, data: { receipts: receipts.map(consentReceiptReply) } }
})
