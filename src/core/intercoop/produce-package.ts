// Signed packages as the source produces them (reference §A1): RSASSA-PKCS1-v1_5 with SHA-1 over
// the exact UTF-8 bytes of the payload YAML; payload and signature url-safe base64 with padding;
// envelope keys intercoopVersion ('1.0', quoted), payload, signature.
import { sign, type KeyObject } from 'node:crypto'
import { dumpYaml, type YamlValue } from './yaml-1-1.js'
import { encodePackageBase64 } from './package-base64.js'

export const PROTOCOL_VERSION = '1.0'

/** The signature of payload YAML text, url-safe base64 with padding (deterministic). */
export function signPayloadYaml (payloadYaml: string, privateKey: KeyObject): string {
  return encodePackageBase64(sign('sha1', Buffer.from(payloadYaml, 'utf8'), privateKey))
}

/** The envelope text for payload YAML already written (the signature covers these bytes). */
export function envelopeOf (payloadYaml: string, privateKey: KeyObject): string {
  return dumpYaml({
    intercoopVersion: PROTOCOL_VERSION,
    payload: encodePackageBase64(Buffer.from(payloadYaml, 'utf8')),
    signature: signPayloadYaml(payloadYaml, privateKey),
  })
}

/** Writes a payload mapping as YAML 1.1 (keys in insertion order) and wraps it in a signed envelope. */
export function producePackage (payload: Record<string, YamlValue>, privateKey: KeyObject): string {
  return envelopeOf(dumpYaml(payload), privateKey)
}
