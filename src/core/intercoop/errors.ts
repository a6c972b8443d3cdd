// The intercoop error catalogue: wire errors of the Som Energia protocol (reference §A2) and ours.
// Each error carries the class name, the message template filled with positional arguments and
// the HTTP code; the target API serialises it as YAML `{error, message, arguments}`, and a Python
// or PHP client rebuilds the same class from `error` + `arguments`, so the texts are a contract.
import { UserError, type CatalogueDescription } from '../errors.js'
import { clipped } from '../limits.js'

/** One catalogue entry: the message template (`{}` placeholders, Python style), HTTP code, origin and when (for the docs). */
export interface IntercoopErrorSpec {
  template: string
  code: number
  origin: string
  when: string
}

/**
 * The catalogue. The first eight rows are fixed by upstream (intercoop-auroral §A2); the others
 * are endo-vault extensions (replay hardening, service checks, the person-facing consent flow).
 */
export const IntercoopErrorText = {
  // §A2, upstream classes (python/intercoop/packaging.py)
  BadMessage: { template: 'Malformed message: {}', code: 400, origin: 'upstream', when: 'the envelope is not YAML (see below), lacks `intercoopVersion`, `payload` or `signature`, or its payload is not base64 or not UTF-8; a body that is not UTF-8 is this class too; a body over `INTERCOOP_MAX_BODY_BYTES` is this class with code 413' },
  WrongVersion: { template: 'Wrong protocol version, expected {}, received {}', code: 400, origin: 'upstream', when: '`intercoopVersion` is not the string `\'1.0\'`' },
  BadFormat: { template: 'Error while parsing message as YAML:\n{}', code: 400, origin: 'upstream', when: 'the decoded payload is not YAML (see below)' },
  MissingField: { template: "Required field '{}' missing on the payload", code: 400, origin: 'upstream', when: 'the payload lacks `originpeer`, or a field the service needs (upstream leaves this a TODO), or a withdrawal lacks `withdrawnNonce`' },
  BadPeer: { template: "The entity '{}' is not a recognized one", code: 403, origin: 'upstream, fixed', when: '`originpeer` is not in our peers directory, or its descriptor has no `publickey` (upstream answers 500 for both)' },
  BadSignature: { template: 'Signature verification failed, untrusted content', code: 403, origin: 'upstream', when: 'the signature does not verify over the payload bytes with the peer\'s key' },
  NoSuchUuid: { template: "No personal data available for uuid '{}'", code: 404, origin: 'upstream', when: 'a continuation token that is unknown, already used or expired (tokens are single-use and short-lived here)' },
  BackendError: { template: 'Error comunicating with the other entity\n{}', code: 502, origin: 'upstream, client side', when: 'a job\'s call to a peer failed: unreachable, timed out, not `application/yaml`, not YAML, or no `continuationUrl`' },
  // endo-vault: replay hardening on receipt (§A5)
  BadField: { template: "Field '{}' is not valid: {}", code: 400, origin: 'endo-vault, replay hardening', when: '`issuedAt`, `expiresAt`, `nonce`, `targetpeer` or `service` has the wrong form, or the package claims a validity over `INTERCOOP_MAX_PACKAGE_LIFETIME_SECONDS`' },
  WrongTargetPeer: { template: "The package is addressed to '{}', not to '{}'", code: 403, origin: 'endo-vault, replay hardening', when: '`targetpeer` names another entity' },
  PackageNotYetValid: { template: 'The package was issued at {}, after the time here, {}', code: 403, origin: 'endo-vault, replay hardening', when: '`issuedAt` is later than our clock plus the tolerated skew' },
  PackageExpired: { template: 'The package expired at {}, the time here is {}', code: 403, origin: 'endo-vault, replay hardening', when: 'the package\'s expiry (its `expiresAt`, else `issuedAt` plus the longest lifetime) has passed' },
  ReplayedPackage: { template: "The package with nonce '{}' from '{}' was already received", code: 403, origin: 'endo-vault, replay hardening', when: 'a package whose `nonce` this entity has already received from that peer' },
  // endo-vault: service checks (the upstream TODOs) and the source side
  UnknownService: { template: "The entity '{}' offers no service '{}'", code: 404, origin: 'endo-vault', when: 'the package\'s `service` (or a preview\'s) is not among the entity\'s services' },
  NoSuchPeer: { template: "No intercoop peer '{}'", code: 404, origin: 'endo-vault, source side', when: 'a job names a peer that is not in our peers directory' },
  FieldsNotSpecified: { template: "Peer '{}' does not specify fields for service '{}'", code: 422, origin: 'endo-vault, source side', when: 'the peer\'s descriptor lists no fields for the service, nor default fields (upstream\'s catalog error)' },
  NoSuchConsent: { template: "No consent '{}' for this person", code: 404, origin: 'endo-vault, source side', when: 'an activation with a consent id that is unknown, another person\'s, or for another peer or service' },
  ConsentExpired: { template: "The consent '{}' expired at {}; preview the activation again", code: 410, origin: 'endo-vault, source side', when: 'an activation after the preview\'s `expiresAt` (`INTERCOOP_PREVIEW_TTL_SECONDS`)' },
  ConsentAlreadyUsed: { template: "The consent '{}' was already used; preview the activation again", code: 409, origin: 'endo-vault, source side', when: 'an activation with a consent id that already activated (or is activating)' },
  ConsentValuesChanged: { template: "The values changed since consent '{}' was given; preview the activation again", code: 409, origin: 'endo-vault, source side', when: 'the person\'s values, read again at activation, differ from those previewed' },
  NoSuchReceipt: { template: "No consent receipt '{}' for this person", code: 404, origin: 'endo-vault, source side', when: 'a withdrawal of a receipt that is unknown or another person\'s' },
} as const satisfies Record<string, IntercoopErrorSpec>

export type IntercoopErrorName = keyof typeof IntercoopErrorText

/** What the docs read, as of every catalogue (errors.ts `defineCatalogue`); the text is the template. */
export const IntercoopErrors: { readonly description: CatalogueDescription } = {
  description: {
    domain: 'intercoop',
    entries: Object.fromEntries(Object.entries(IntercoopErrorText).map(([name, { template, code, origin, when }]) => [name, { code, text: template, origin, when }])),
  },
}

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
