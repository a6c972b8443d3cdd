// ActivateIntercoopService: the consent given on a preview becomes a signed package POSTed to the
// peer (reference intercoop-auroral §A0.3, §A1), with the person's values read again now: values
// that changed since the preview need a new preview (409). The reply's continuationUrl is where the
// person goes next; a peer's refusal comes back as this job's error with the peer's class and message.
import { defineJob } from '../../core/endo/job-definition.js'
import { activateService, consentReceiptReply, readPersonValues } from '../../core/intercoop/index.js'
import type { ActivateIntercoopServiceMessageData, ActivateIntercoopServiceResponseData } from './types.js'

export default defineJob<ActivateIntercoopServiceMessageData, ActivateIntercoopServiceResponseData>(async (context) => {
  const { data, parties, services } = context
  const person = await readPersonValues(context, services.config.intercoop.vaultTemplate)
  const result = await activateService(services.intercoop.source(), {
    person: parties.credentialsUuid, consentId: data.consentId, peer: data.peer, service: data.service, values: person.values,
  })
  return { code: 200, data: { continuationUrl: result.continuationUrl, receipt: consentReceiptReply(result.receipt) } }
})
