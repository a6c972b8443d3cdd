// Signed packages as the target verifies them, in the reference's order (§A1 "Verification
// order", python packaging.parse) and with its error classes, messages and arguments (§A2).
import { verify, type KeyObject } from 'node:crypto'
import { parseYaml, PEER_YAML_BOUNDS, YamlSyntaxError, type YamlBounds } from './yaml-1-1.js'
import { Base64Error, decodePackageBase64 } from './package-base64.js'
import { PROTOCOL_VERSION } from './produce-package.js'
import { BadFormat, BadMessage, BadPeer, BadSignature, MissingField, WrongVersion } from './errors.js'
import { isJsonObject } from '../json-object.js'
import { clipped } from '../limits.js'

export interface ParsedPackage {
  /** The payload mapping (YAML 1.1 types, dates as text). */
  payload: Record<string, unknown>
  /** The exact payload text the signature covers. */
  payloadYaml: string
  originpeer: string
}

/** The signing key of a peer; throws BadPeer when there is none. */
export type KeyOfPeer = (peerid: string) => KeyObject

/**
 * Every YAML failure (syntax, duplicate keys, tags, `bounds`: aliases, depth, tokens) is the
 * envelope's BadMessage or the payload's BadFormat, 400: nothing a peer sends is a 500.
 */
export function parsePackage (envelopeText: string, keyOf: KeyOfPeer, bounds: Readonly<YamlBounds> = PEER_YAML_BOUNDS): ParsedPackage {
  const envelope = parseEnvelope(envelopeText, bounds)
  checkVersion(envelope)
  // §A1.3: payload, then signature (Python's order; PHP checks signature after decoding)
  if (!('payload' in envelope)) throw new BadMessage('missing payload')
  if (!('signature' in envelope)) throw new BadMessage('missing signature')
  const payloadBytes = decodePayload(envelope.payload)
  const payloadYaml = utf8Of(payloadBytes)
  const payload = parsePayload(payloadYaml, bounds)
  // §A1.6: the only key the reference requires
  if (!('originpeer' in payload)) throw new MissingField('originpeer')
  const originpeer = peerIdOf(payload.originpeer)
  const key = keyOf(originpeer) // §A1.7: BadPeer
  verifySignature(payloadBytes, envelope.signature, key)
  return { payload, payloadYaml, originpeer }
}

/** §A1.1: BadMessage "Bad message YAML format\n<parser text>"; a non-mapping lacks every key. */
function parseEnvelope (text: string, bounds: Readonly<YamlBounds>): Record<string, unknown> {
  let envelope: unknown
  try {
    envelope = parseYaml(text, bounds)
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new BadMessage(`Bad message YAML format\n${error.message}`)
    throw error
  }
  return isJsonObject(envelope) ? envelope : {}
}

/** §A1.2: present, and exactly the string '1.0' (an unquoted 1.0 is a number: WrongVersion). */
function checkVersion (envelope: Record<string, unknown>): void {
  if (!('intercoopVersion' in envelope)) throw new BadMessage('missing intercoopVersion')
  const version = envelope.intercoopVersion
  if (version !== PROTOCOL_VERSION) throw new WrongVersion(PROTOCOL_VERSION, clipped(scalarText(version)))
}

/** §A1.4: Python's urlsafe_b64decode, with its error text. */
function decodePayload (payload: unknown): Buffer {
  if (typeof payload !== 'string') throw new BadMessage('Payload is invalid Base64: argument should be a bytes-like object or ASCII string')
  try {
    return decodePackageBase64(payload)
  } catch (error) {
    if (error instanceof Base64Error) throw new BadMessage(`Payload is invalid Base64: ${error.message}`)
    throw error
  }
}

function utf8Of (bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    throw new BadMessage('Payload is not base64 coded UTF8')
  }
}

/** §A1.5: BadFormat with the parser's text; a payload that is not a mapping has no originpeer. */
function parsePayload (payloadYaml: string, bounds: Readonly<YamlBounds>): Record<string, unknown> {
  let payload: unknown
  try {
    payload = parseYaml(payloadYaml, bounds)
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new BadFormat(error.message)
    throw error
  }
  return isJsonObject(payload) ? payload : {}
}

/** A value as text for an error argument: a scalar as it is, a collection by its kind (never walked). */
function scalarText (value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : clipped(value)
}

/** §A1.7: a peer id is a scalar; a list or mapping cannot name a peer (SafeLoader: unhashable). */
function peerIdOf (value: unknown): string {
  if (value !== null && typeof value === 'object') throw new BadPeer(clipped(value))
  return String(value)
}

/** §A1.8: over the decoded payload bytes, never re-serialised YAML. An undecodable signature fails too. */
function verifySignature (payloadBytes: Buffer, signature: unknown, key: KeyObject): void {
  let signatureBytes: Buffer
  try {
    if (typeof signature !== 'string') throw new BadSignature()
    signatureBytes = decodePackageBase64(signature)
  } catch {
    throw new BadSignature()
  }
  let valid = false
  try {
    valid = verify('sha1', payloadBytes, key, signatureBytes)
  } catch {
    valid = false
  }
  if (!valid) throw new BadSignature()
}
