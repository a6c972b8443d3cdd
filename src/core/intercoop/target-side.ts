// The target side's domain (what peers call, reference §A3): accept an activation package, hand
// its data out once, take a withdrawal notice. The HTTP layer is target-router.ts.
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import type { IntercoopEntity } from './entity.js'
import type { PeerDirectory } from './peer-directory.js'
import { parsePackage, type ParsedPackage } from './parse-package.js'
import { checkHardening, type HardeningOfPackage } from './package-hardening.js'
import { forgetExpiredNonces, rememberNonce } from './seen-nonces.js'
import { forgetExpiredData, forgetTransfer, storeReceivedData, takeReceivedData, type ReceivedData } from './received-data.js'
import { serviceFields } from './catalogue.js'
import { MissingField } from './errors.js'
import { PEER_YAML_BOUNDS, type YamlBounds } from './yaml-1-1.js'
import { DEFAULT_LIMITS } from '../limits.js'

export interface IntercoopTargetOptions {
  /** How long the continuation token stays valid (it is single-use anyway). */
  tokenTtlSeconds: number
  /** Tolerated clock difference with peers, for issuedAt/expiresAt. */
  clockSkewSeconds: number
  /** The longest validity a package may claim; also the expiry of one with issuedAt only. */
  maxPackageLifetimeSeconds: number
  /** Largest accepted request body (express/bytes syntax). */
  bodyLimit: string
  /** What parsing an envelope or payload may cost (aliases, depth, tokens). */
  yamlBounds: YamlBounds
}

export const DEFAULT_TARGET_OPTIONS: IntercoopTargetOptions = {
  tokenTtlSeconds: 600,
  clockSkewSeconds: 300,
  maxPackageLifetimeSeconds: 3600,
  bodyLimit: `${DEFAULT_LIMITS.intercoopMaxBodyBytes}b`,
  yamlBounds: PEER_YAML_BOUNDS,
}

export interface IntercoopTargetDeps {
  store: Store
  entity: IntercoopEntity
  peers: PeerDirectory
  logger: Logger
  clock?: () => Date
  options?: Partial<IntercoopTargetOptions>
}

export interface ActivationAccepted {
  uuid: string
  continuationUrl: string
}

export interface IntercoopTarget {
  receiveActivation: (envelopeText: string) => Promise<ActivationAccepted>
  collectReceivedData: (uuid: string) => Promise<ReceivedData>
  receiveWithdrawal: (envelopeText: string) => Promise<{ withdrawnNonce: string }>
  options: IntercoopTargetOptions
}

const PURGE_INTERVAL_MS = 60_000

export function createIntercoopTarget (deps: IntercoopTargetDeps): IntercoopTarget {
  const options = { ...DEFAULT_TARGET_OPTIONS, ...deps.options }
  const clock = deps.clock ?? (() => new Date())
  const { store, entity, peers, logger } = deps
  let lastPurge = 0

  async function purge (now: Date): Promise<void> {
    if (now.getTime() - lastPurge < PURGE_INTERVAL_MS) return
    lastPurge = now.getTime()
    await forgetExpiredNonces(store, now)
    await forgetExpiredData(store, now)
  }

  /** §A1 verification, then the §A5 checks on the keys that are present. */
  function verify (envelopeText: string, now: Date): { parsed: ParsedPackage, hardening: HardeningOfPackage } {
    const parsed = parsePackage(envelopeText, peerid => peers.publicKeyOf(peerid), options.yamlBounds)
    const hardening = checkHardening(parsed.payload, {
      peerid: entity.peerid,
      now,
      clockSkewMs: options.clockSkewSeconds * 1000,
      maxLifetimeMs: options.maxPackageLifetimeSeconds * 1000,
    })
    return { parsed, hardening }
  }

  /**
   * The service the package is for: its `service` key, else our only service (old peers do not
   * say). Its fields must all be in the payload (the upstream "TODO: Validate fields").
   */
  function checkServiceFields (parsed: ParsedPackage, service: string | undefined): string | null {
    const services = Object.keys(entity.descriptor.services)
    const id = service ?? (services.length === 1 ? services[0] : undefined)
    if (id === undefined) return null
    for (const field of serviceFields(entity.descriptor, id) ?? []) {
      if (!(field in parsed.payload)) throw new MissingField(field)
    }
    return id
  }

  return {
    options,

    async receiveActivation (envelopeText) {
      const now = clock()
      await purge(now)
      const { parsed, hardening } = verify(envelopeText, now)
      const service = checkServiceFields(parsed, hardening.service)
      const uuid = await store.transaction().execute(async trx => {
        if (hardening.nonce !== undefined) await rememberNonce(trx, parsed.originpeer, hardening.nonce, hardening.keepNonceUntil)
        return await storeReceivedData(trx, {
          originpeer: parsed.originpeer,
          service,
          nonce: hardening.nonce ?? null,
          payloadYaml: parsed.payloadYaml,
        }, now, options.tokenTtlSeconds * 1000)
      })
      logger.info({ event: 'intercoop.activation.received', originpeer: parsed.originpeer, service }, 'intercoop activation received')
      return { uuid, continuationUrl: entity.continuationUrl(uuid) }
    },

    async collectReceivedData (uuid) {
      const data = await takeReceivedData(store, uuid, clock())
      logger.info({ event: 'intercoop.data.collected', originpeer: data.originpeer, service: data.service }, 'intercoop data collected')
      return data
    },

    async receiveWithdrawal (envelopeText) {
      const now = clock()
      const { parsed, hardening } = verify(envelopeText, now)
      const withdrawn = parsed.payload.withdrawnNonce
      if (typeof withdrawn !== 'string' || withdrawn === '') throw new MissingField('withdrawnNonce')
      await store.transaction().execute(async trx => {
        if (hardening.nonce !== undefined) await rememberNonce(trx, parsed.originpeer, hardening.nonce, hardening.keepNonceUntil)
        await forgetTransfer(trx, parsed.originpeer, withdrawn)
        await trx.insertInto('intercoop_withdrawals')
          .values({ originpeer: parsed.originpeer, withdrawn_nonce: withdrawn, service: hardening.service ?? null, received_at: now.toISOString() })
          .onConflict(oc => oc.columns(['originpeer', 'withdrawn_nonce']).doNothing())
          .execute()
      })
      logger.info({ event: 'intercoop.consent.withdrawn', originpeer: parsed.originpeer, service: hardening.service ?? null }, 'intercoop consent withdrawn by the person')
      return { withdrawnNonce: withdrawn }
    },
  }
}
