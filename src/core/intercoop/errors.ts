// The intercoop error catalogue: wire errors of the Som Energia protocol (reference §A2) and ours.
// Each error carries the class name, the message template filled with positional arguments and
// the HTTP code; the target API serialises it as YAML `{error, message, arguments}`, and a Python
// or PHP client rebuilds the same class from `error` + `arguments`, so the texts are a contract.
import { UserError } from '../errors.js'
import { clipped } from '../limits.js'

/** One catalogue entry: the message template (`{}` placeholders, Python style) and HTTP code. */
export interface IntercoopErrorSpec {
  template: string
  code: number
}

/**
 * The catalogue. The first eight rows are fixed by upstream (intercoop-auroral §A2); the others
 * are endo-vault extensions (replay hardening, service checks, the person-facing consent flow).
 */
export const IntercoopErrorText = {
  // §A2, upstream classes (python/intercoop/packaging.py)
  BadMessage: { template: 'Malformed message: {}', code: 400 },
  WrongVersion: { template: 'Wrong protocol version, expected {}, received {}', code: 400 },
  BadFormat: { template: 'Error while parsing message as YAML:\n{}', code: 400 },
  MissingField: { template: "Required field '{}' missing on the payload", code: 400 },
  BadPeer: { template: "The entity '{}' is not a recognized one", code: 403 },
  BadSignature: { template: 'Signature verification failed, untrusted content', code: 403 },
  NoSuchUuid: { template: "No personal data available for uuid '{}'", code: 404 },
  BackendError: { template: 'Error comunicating with the other entity\n{}', code: 502 },
  // endo-vault: replay hardening on receipt (§A5)
  BadField: { template: "Field '{}' is not valid: {}", code: 400 },
  WrongTargetPeer: { template: "The package is addressed to '{}', not to '{}'", code: 403 },
  PackageNotYetValid: { template: 'The package was issued at {}, after the time here, {}', code: 403 },
  PackageExpired: { template: 'The package expired at {}, the time here is {}', code: 403 },
  ReplayedPackage: { template: "The package with nonce '{}' from '{}' was already received", code: 403 },
  // endo-vault: service checks (the upstream TODOs) and the source side
  UnknownService: { template: "The entity '{}' offers no service '{}'", code: 404 },
  NoSuchPeer: { template: "No intercoop peer '{}'", code: 404 },
  FieldsNotSpecified: { template: "Peer '{}' does not specify fields for service '{}'", code: 422 },
  NoSuchConsent: { template: "No consent '{}' for this person", code: 404 },
  ConsentExpired: { template: "The consent '{}' expired at {}; preview the activation again", code: 410 },
  ConsentAlreadyUsed: { template: "The consent '{}' was already used; preview the activation again", code: 409 },
  ConsentValuesChanged: { template: "The values changed since consent '{}' was given; preview the activation again", code: 409 },
  NoSuchReceipt: { template: "No consent receipt '{}' for this person", code: 404 },
} as const satisfies Record<string, IntercoopErrorSpec>

export type IntercoopErrorName = keyof typeof IntercoopErrorText

/** The wire form of an error, keys in upstream order. */
export interface IntercoopWireError {
  error: string
  message: string
  arguments: unknown[]
}

/** Fills a `{}` template the way Python's str.format does with positional arguments. */
export function fillTemplate (template: string, args: readonly unknown[]): string {
  let next = 0
  return template.replace(/\{\}/g, () => String(args[next++]))
}

/** Base of the family. `name` is the wire class name; `details` carries it for job replies. */
export class IntercoopError extends UserError {
  readonly args: unknown[]

  constructor (errorClass: string, args: unknown[], override?: { code: number, message: string }) {
    const spec: IntercoopErrorSpec | undefined = Object.hasOwn(IntercoopErrorText, errorClass)
      ? IntercoopErrorText[errorClass as IntercoopErrorName]
      : undefined
    const code = override?.code ?? spec?.code ?? 500
    const message = override?.message ?? (spec !== undefined ? fillTemplate(spec.template, args) : errorClass)
    super(code, message, { error: errorClass, arguments: args })
    this.name = errorClass
    this.args = args
  }

  /**
   * Every intercoop error is meant for the wire, 5xx included: a BackendError (502, the peer is
   * unreachable or answered nonsense) tells the person why the activation failed, and a peer's
   * own error class is passed on as the peer sent it. Their texts carry no secret.
   */
  override get expose (): boolean {
    return true
  }

  /** The YAML body the target API sends: `{error, message, arguments}`. */
  toWire (): IntercoopWireError {
    return { error: this.name, message: this.message, arguments: this.args }
  }
}

// §A2, upstream classes
export class BadMessage extends IntercoopError { constructor (detail: string) { super('BadMessage', [detail]) } }
export class WrongVersion extends IntercoopError { constructor (expected: string, received: string) { super('WrongVersion', [expected, received]) } }
export class BadFormat extends IntercoopError { constructor (parserText: string) { super('BadFormat', [parserText]) } }
export class MissingField extends IntercoopError { constructor (field: string) { super('MissingField', [field]) } }
export class BadPeer extends IntercoopError { constructor (peerid: string) { super('BadPeer', [peerid]) } }
export class BadSignature extends IntercoopError { constructor () { super('BadSignature', []) } }
export class NoSuchUuid extends IntercoopError { constructor (uuid: string) { super('NoSuchUuid', [uuid]) } }
export class BackendError extends IntercoopError { constructor (detail: string) { super('BackendError', [detail]) } }
// endo-vault: replay hardening
export class BadField extends IntercoopError { constructor (field: string, reason: string) { super('BadField', [field, reason]) } }
export class WrongTargetPeer extends IntercoopError { constructor (addressedTo: string, self: string) { super('WrongTargetPeer', [addressedTo, self]) } }
export class PackageNotYetValid extends IntercoopError { constructor (issuedAt: string, now: string) { super('PackageNotYetValid', [issuedAt, now]) } }
export class PackageExpired extends IntercoopError { constructor (expiresAt: string, now: string) { super('PackageExpired', [expiresAt, now]) } }
export class ReplayedPackage extends IntercoopError { constructor (nonce: string, peerid: string) { super('ReplayedPackage', [nonce, peerid]) } }
// endo-vault: services and the source side
export class UnknownService extends IntercoopError { constructor (peerid: string, service: string) { super('UnknownService', [peerid, service]) } }
export class NoSuchPeer extends IntercoopError { constructor (peerid: string) { super('NoSuchPeer', [peerid]) } }
export class FieldsNotSpecified extends IntercoopError { constructor (peerid: string, service: string) { super('FieldsNotSpecified', [peerid, service]) } }
export class NoSuchConsent extends IntercoopError { constructor (consentId: string) { super('NoSuchConsent', [consentId]) } }
export class ConsentExpired extends IntercoopError { constructor (consentId: string, expiredAt: string) { super('ConsentExpired', [consentId, expiredAt]) } }
export class ConsentAlreadyUsed extends IntercoopError { constructor (consentId: string) { super('ConsentAlreadyUsed', [consentId]) } }
export class ConsentValuesChanged extends IntercoopError { constructor (consentId: string) { super('ConsentValuesChanged', [consentId]) } }
export class NoSuchReceipt extends IntercoopError { constructor (receiptId: string) { super('NoSuchReceipt', [receiptId]) } }

const MAX_WIRE_ARGUMENTS = 8
const MAX_WIRE_TEXT = 1000

/**
 * Rebuilds an error a peer sent (`packaging.error(name, *arguments)` upstream): a class of the
 * catalogue gets its own message from the arguments; an unknown class keeps the peer's name and
 * message. The code is the catalogue's, else the peer's 4xx, else 502.
 */
export function errorFromWire (wire: { error: string, message?: unknown, arguments?: unknown }, httpStatus: number): IntercoopError {
  // a peer's texts reach the person and our logs: cut like any client string (parser texts need more room)
  const args = (Array.isArray(wire.arguments) ? wire.arguments : []).slice(0, MAX_WIRE_ARGUMENTS)
    .map(arg => arg === null || typeof arg !== 'object' ? (typeof arg === 'string' ? clipped(arg, MAX_WIRE_TEXT) : arg) : clipped(arg))
  const Known = Object.hasOwn(CLASSES, wire.error) ? CLASSES[wire.error] : undefined
  if (Known !== undefined) return new Known(...args)
  const name = clipped(wire.error, 64)
  const message = typeof wire.message === 'string' ? clipped(wire.message, MAX_WIRE_TEXT) : name
  const code = httpStatus >= 400 && httpStatus < 500 ? httpStatus : 502
  return new IntercoopError(name, args, { code, message })
}

const CLASSES: Record<string, new (...args: any[]) => IntercoopError> = {
  BadMessage, WrongVersion, BadFormat, MissingField, BadPeer, BadSignature, NoSuchUuid, BackendError,
  BadField, WrongTargetPeer, PackageNotYetValid, PackageExpired, ReplayedPackage,
  UnknownService, NoSuchPeer, FieldsNotSpecified, NoSuchConsent, ConsentExpired, ConsentAlreadyUsed,
  ConsentValuesChanged, NoSuchReceipt,
}
