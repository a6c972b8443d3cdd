// The catalogue a person browses (peers and their services, in the person's language) and the
// fields a service needs (upstream catalog.requiredFields, with `originpeer` always first).
import type { PeerDescriptor, ServiceDescriptor } from './peer-descriptor.js'
import type { PeerDirectory } from './peer-directory.js'
import { translate } from './translation.js'
import { FieldsNotSpecified, UnknownService } from './errors.js'

export interface CatalogueService {
  id: string
  name: string
  description: string
  fields: string[]
}

export interface CataloguePeer {
  peerid: string
  name: string
  description: string
  info?: string
  url: string
  logo: string
  privacyPolicyUrl: string
  services: CatalogueService[]
}

/** Payload keys endo-vault adds to every package it sends (§A5 hardening); never a person's field. */
export const HARDENING_FIELDS = ['service', 'targetpeer', 'issuedAt', 'expiresAt', 'nonce'] as const

/**
 * The fields a transfer to `peer`/`service` carries: the service's list, else the peer's, else
 * FieldsNotSpecified. `originpeer` comes first even when the descriptor forgets it (upstream
 * portals then produce packages every target refuses, §A4).
 */
export function requiredFields (peer: PeerDescriptor, service: string): string[] {
  const declared = serviceFields(peer, service)
  if (declared === undefined) throw new FieldsNotSpecified(peer.peerid, service)
  const reserved = new Set<string>(HARDENING_FIELDS)
  return ['originpeer', ...declared.filter(field => field !== 'originpeer' && !reserved.has(field))]
    .filter((field, index, all) => all.indexOf(field) === index)
}

/** The fields a service declares (its own, else the peer's), or undefined when none are declared. */
export function serviceFields (peer: PeerDescriptor, service: string): string[] | undefined {
  return serviceOf(peer, service).fields ?? peer.fields
}

/** The service a peer declares under `service`, else UnknownService. */
export function serviceOf (peer: PeerDescriptor, service: string): ServiceDescriptor {
  const descriptor = Object.hasOwn(peer.services, service) ? peer.services[service] : undefined
  if (descriptor === undefined) throw new UnknownService(peer.peerid, service)
  return descriptor
}

/** The catalogue in a language; `exclude` leaves out a peer id (the entity itself). */
export function catalogue (peers: PeerDirectory, lang: string, exclude?: string): CataloguePeer[] {
  return peers.list().filter(peer => peer.peerid !== exclude).map(peer => ({
    peerid: peer.peerid,
    name: peer.name,
    description: translate(peer.description, lang),
    ...(peer.info !== undefined ? { info: translate(peer.info, lang) } : {}),
    url: translate(peer.url, lang),
    logo: peer.logo,
    privacyPolicyUrl: translate(peer.privacyPolicyUrl, lang),
    services: Object.entries(peer.services).map(([id, service]) => ({
      id,
      name: translate(service.name, lang),
      description: translate(service.description, lang),
      fields: service.fields ?? peer.fields ?? [],
    })),
  }))
}
