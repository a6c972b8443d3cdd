// PreviewIntercoopActivation: the consent screen (reference intercoop-auroral §A4 "consent"): the
// fields a peer's service needs, each with its label and the person's actual value, the peer's
// privacy policy, and a consent id bound to a hash of exactly these values.
import { defineJob } from '../../core/endo/job-definition.js'
import { langOfProfile, previewActivation, readPersonValues, type YamlValue } from '../../core/intercoop/index.js'
import type { PreviewIntercoopActivationMessageData, PreviewIntercoopActivationResponseData } from './types.js'

type Field = PreviewIntercoopActivationResponseData['fields'][number]

/** Person values are strings, lists of strings or null (person-values.ts); anything else is shown as text. */
function shownValue (value: YamlValue): Field['value'] {
  if (value === null || typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(item => typeof item === 'string' ? item : JSON.stringify(item))
  return JSON.stringify(value)
}

export default defineJob<PreviewIntercoopActivationMessageData, PreviewIntercoopActivationResponseData>(async (context) => {
  const { data, credentials, parties, services } = context
  const lang = data.lang ?? langOfProfile(credentials.blob.profile) ?? services.config.intercoop.defaultLang
  const person = await readPersonValues(context, services.config.intercoop.vaultTemplate)
  const preview = await previewActivation(services.intercoop.source(), {
    person: parties.credentialsUuid, peer: data.peer, service: data.service, values: person.values, lang,
  })
  return {
    code: 200,
    data: {
      consentId: preview.consentId,
      peer: { peerid: preview.peer.peerid, name: preview.peer.name, logo: preview.peer.logo, url: preview.peer.url },
      service: { id: preview.service.id, name: preview.service.name, description: preview.service.description },
      fields: preview.fields.map((field): Field => ({
        name: field.name,
        label: field.label,
        value: shownValue(field.value),
        source: field.name === 'originpeer' ? 'entity' : person.sources[field.name] ?? null,
      })),
      privacyPolicyUrl: preview.privacyPolicyUrl,
      expiresAt: preview.expiresAt,
    },
  }
})
