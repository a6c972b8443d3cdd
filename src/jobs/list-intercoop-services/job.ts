// ListIntercoopServices: the peers and their services (reference intercoop-auroral §A0.1), in the
// person's language: the message's, else their profile's locale, else the configured default.
import { defineJob } from '../../core/endo/job-definition.js'
import { catalogue, fieldLabel, langOfProfile } from '../../core/intercoop/index.js'
import type { ListIntercoopServicesMessageData, ListIntercoopServicesResponseData } from './types.js'

export default defineJob<ListIntercoopServicesMessageData, ListIntercoopServicesResponseData>(async ({ data, credentials, services }) => {
  const lang = data.lang ?? langOfProfile(credentials.blob.profile) ?? services.config.intercoop.defaultLang
  const { entity, peers } = services.intercoop
  return {
    code: 200,
    data: {
      lang,
      peers: catalogue(peers, lang, entity.peerid).map(peer => ({
        peerid: peer.peerid,
        name: peer.name,
        description: peer.description,
        ...(peer.info !== undefined ? { info: peer.info } : {}),
        url: peer.url,
        logo: peer.logo,
        privacyPolicyUrl: peer.privacyPolicyUrl,
        services: peer.services.map(service => ({
          id: service.id,
          name: service.name,
          description: service.description,
          fields: service.fields.map(name => ({ name, label: fieldLabel(name, lang) })),
        })),
      })),
    },
  }
})
