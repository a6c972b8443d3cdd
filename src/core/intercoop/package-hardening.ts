// Replay hardening, compatible with old peers (reference §A5): the payload keys endo-vault adds to
// what it sends (issuedAt, expiresAt, nonce, targetpeer, service) and their checks on receipt,
// made only when a key is present (a package from an upstream peer has none and is accepted).
import { randomBytes } from 'node:crypto'
import { BadField, PackageExpired, PackageNotYetValid, WrongTargetPeer } from './errors.js'

export interface HardeningFields {
  service: string
  targetpeer: string
  issuedAt: string
  expiresAt: string
  nonce: string
}

/** The keys for a package to `targetpeer`'s `service`, valid `lifetimeMs` from `now`. */
export function hardeningFields (targetpeer: string, service: string, now: Date, lifetimeMs: number): HardeningFields {
  return {
    service,
    targetpeer,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
    nonce: randomBytes(16).toString('hex'), // hex: always a plain YAML scalar
  }
}

export interface ReceiptPolicy {
  /** Our peer id: the audience a `targetpeer` must name. */
  peerid: string
  now: Date
  /** Tolerated clock difference between the peers. */
  clockSkewMs: number
  /** The longest a package may be valid (expiresAt − issuedAt, or issuedAt + this when no expiresAt). */
  maxLifetimeMs: number
}

export interface HardeningOfPackage {
  service?: string
  nonce?: string
  /** Until when the nonce must be remembered; null when the package has no expiry. */
  keepNonceUntil: Date | null
}

function timeField (payload: Record<string, unknown>, field: string): Date | undefined {
  if (!(field in payload)) return undefined
  const value = payload[field]
  const time = typeof value === 'string' ? new Date(value) : undefined
  if (time === undefined || Number.isNaN(time.getTime())) throw new BadField(field, 'not an ISO 8601 time')
  return time
}

function textField (payload: Record<string, unknown>, field: string, maxLength: number): string | undefined {
  if (!(field in payload)) return undefined
  const value = payload[field]
  if (typeof value !== 'string' || value === '' || value.length > maxLength) {
    throw new BadField(field, `not a text of 1 to ${maxLength} characters`)
  }
  return value
}

/** Checks audience and time; returns what the nonce and service checks need. */
export function checkHardening (payload: Record<string, unknown>, policy: ReceiptPolicy): HardeningOfPackage {
  const targetpeer = textField(payload, 'targetpeer', 64)
  if (targetpeer !== undefined && targetpeer !== policy.peerid) throw new WrongTargetPeer(targetpeer, policy.peerid)
  const service = textField(payload, 'service', 64)
  const nonce = textField(payload, 'nonce', 128)
  const issuedAt = timeField(payload, 'issuedAt')
  const expiresAt = timeField(payload, 'expiresAt')
  const now = policy.now.getTime()
  if (issuedAt !== undefined && issuedAt.getTime() > now + policy.clockSkewMs) {
    throw new PackageNotYetValid(issuedAt.toISOString(), policy.now.toISOString())
  }
  if (issuedAt !== undefined && expiresAt !== undefined && expiresAt.getTime() - issuedAt.getTime() > policy.maxLifetimeMs) {
    throw new BadField('expiresAt', `more than ${policy.maxLifetimeMs / 1000} seconds after issuedAt`)
  }
  const expiry = expiresAt ?? (issuedAt !== undefined ? new Date(issuedAt.getTime() + policy.maxLifetimeMs) : undefined)
  if (expiry !== undefined && now - policy.clockSkewMs > expiry.getTime()) {
    throw new PackageExpired(expiry.toISOString(), policy.now.toISOString())
  }
  return {
    ...(service !== undefined ? { service } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
    keepNonceUntil: expiry === undefined ? null : new Date(expiry.getTime() + policy.clockSkewMs),
  }
}
