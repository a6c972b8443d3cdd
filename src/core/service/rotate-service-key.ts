// Service key rotation: a new key becomes current, every credentials device's data key is re-wrapped
// with it (ciphertexts untouched), and the previous key stays readable until the next rotation, so
// jobs keep working during and after the rotation.
import { createPublicKey } from 'node:crypto'
import type { DeviceBus } from '../bus/device-bus.js'
import { ServiceKeyring, serviceKeyId } from '../crypto/service-keyring.js'
import { generateServiceKeyPem, readIdentityFile, writeIdentityFile } from './service-identity.js'
import { CREDENTIALS_DEVICE_TYPE, endoBlobOf } from '../endo/credentials-device.js'
import type { EndoService } from './endo-service.js'

export interface RotationResult { keyId: string, previousKeyId: string, rewrapped: number }

export async function rotateServiceKey (endo: EndoService, bus: DeviceBus, dataDir: string, cacheSize?: number): Promise<RotationResult> {
  const file = await readIdentityFile(dataDir)
  if (file === undefined) throw new Error(`no meshblu.json in ${dataDir}: run endo-vault init first`)
  const previousPem = Buffer.from(file.privateKey, 'base64').toString('utf8')
  const newPem = await generateServiceKeyPem()
  // Persist first: a crash after this point still leaves both keys readable.
  await writeIdentityFile(dataDir, { ...file, privateKey: Buffer.from(newPem).toString('base64'), previousPrivateKeys: [file.privateKey] })
  const keyring = new ServiceKeyring(newPem, { older: [previousPem, ...(file.previousPrivateKeys ?? []).map(k => Buffer.from(k, 'base64').toString('utf8'))], dataKeyCacheSize: cacheSize })
  endo.credentials.useKeyring(keyring)
  endo.keyring = keyring
  let rewrapped = 0
  // credentials devices through the type index, a page at a time: never every document in memory at once
  for await (const device of bus.registry.every({ field: 'type', value: CREDENTIALS_DEVICE_TYPE })) {
    if (endoBlobOf(device) === undefined) continue
    await endo.credentials.rewrap(device.uuid)
    rewrapped++
  }
  return { keyId: keyring.current.keyId, previousKeyId: serviceKeyId(createPublicKey(previousPem)), rewrapped }
}
