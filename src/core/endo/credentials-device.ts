// A credentials device C (meshblu-endo §5.3–§5.4): one per provider account. Its document carries
// `endo = {credentialsDeviceUuid, idKey, authorizedKeys, version, encrypted: <service-key envelope>}`
// and `endoSignature`, a MAC over `endo`. The decrypted blob is the person's profile, provider tokens
// and vault keys (`CredentialsBlob`, in src/core/job-context.ts); only the envelope's ciphertext is stored.
import { isCredentialsEnvelope, type CredentialsEnvelope } from '../crypto/credentials-envelope.js'
import type { DeviceDocument } from '../bus/device.js'
import type { ServiceSecrets } from './service-secrets.js'

export interface EndoBlob {
  credentialsDeviceUuid: string
  version: '2.0.0'
  /** keyedId(`<provider>:<account id>`) */
  idKey: string
  /** keyedId(uuid) of each device allowed to manage this credentials device. */
  authorizedKeys: string[]
  encrypted: CredentialsEnvelope
}

export function endoBlobOf (device: DeviceDocument | undefined): EndoBlob | undefined {
  const endo = device?.endo as EndoBlob | undefined
  if (endo === undefined || endo === null || typeof endo !== 'object') return undefined
  if (endo.credentialsDeviceUuid !== device?.uuid || !isCredentialsEnvelope(endo.encrypted)) return undefined
  return endo
}

/** The `endo` blob if its integrity MAC verifies and it belongs to this device; otherwise undefined. */
export function verifiedEndoBlob (device: DeviceDocument | undefined, secrets: ServiceSecrets): EndoBlob | undefined {
  const endo = endoBlobOf(device)
  if (endo === undefined) return undefined
  return device?.endoSignature === secrets.integrityOf(endo) ? endo : undefined
}

export const CREDENTIALS_DEVICE_TYPE = 'endo:credentials'

/** v2 whitelists of a credentials device: only the service may see, configure or message it (§5.3). */
export function credentialsDeviceProperties (serviceUuid: string): Record<string, unknown> {
  const service = [{ uuid: serviceUuid }]
  return {
    type: CREDENTIALS_DEVICE_TYPE,
    meshblu: {
      version: '2.0.0',
      whitelists: { discover: { view: service, as: service }, configure: { update: service }, message: { received: service } },
    },
  }
}
