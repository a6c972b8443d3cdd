// Opens and saves credentials blobs of credentials devices. Opening costs one AES-GCM decrypt when the
// data key is cached; saving re-seals under the same data key and writes C's document as the service.
// Saves to one credentials device are serialized, so concurrent jobs never lose each other's changes.
import type { DeviceBus } from '../bus/device-bus.js'
import type { DeviceDocument } from '../bus/device.js'
import { decryptCredentials, openCredentials, parseCredentials, resealCredentials, rewrapEnvelope, sealCredentials } from '../crypto/credentials-envelope.js'
import type { ServiceKeyring } from '../crypto/service-keyring.js'
import { CoreErrors, BadRequest } from '../errors.js'
import { verifiedEndoBlob, type EndoBlob } from './credentials-device.js'
import type { CredentialsBlob, JobCredentials } from '../job-context.js'
import type { ServiceSecrets } from './service-secrets.js'

export class CredentialsStore {
  private readonly verified = new WeakMap<DeviceDocument, EndoBlob>()
  private readonly saving = new Map<string, Promise<unknown>>()

  constructor (
    private readonly bus: DeviceBus,
    private keyring: ServiceKeyring,
    private readonly secrets: ServiceSecrets,
    private readonly serviceUuid: string
  ) {}

  /** C's verified `endo` blob; 404 when C is not a credentials device, 400 when its integrity check fails. */
  async endoOf (credentialsUuid: string): Promise<EndoBlob> {
    return this.endoFrom(await this.bus.registry.get(credentialsUuid))
  }

  private endoFrom (device: DeviceDocument | undefined): EndoBlob {
    if (device === undefined || device.endo === undefined) throw CoreErrors.credentialsDeviceNotFound()
    let endo = this.verified.get(device)
    if (endo === undefined) {
      endo = verifiedEndoBlob(device, this.secrets)
      if (endo === undefined) throw new BadRequest('credentials device failed its integrity check')
      this.verified.set(device, endo)
    }
    return endo
  }

  async open (credentialsUuid: string): Promise<CredentialsBlob> {
    return openCredentials<CredentialsBlob>((await this.endoOf(credentialsUuid)).encrypted, this.keyring)
  }

  /**
   * C's blob opened for a job: decrypted now (a tampered envelope fails the job before it runs), parsed when
   * the job first reads it (most jobs never do). Reads see the latest save made through it.
   */
  /**
   * C's blob opened for a job without a promise when C is held (the common case: a job's credentials device was
   * just routed through); undefined when it must be read first (openForJob).
   */
  openHeldForJob (credentialsUuid: string): JobCredentials | undefined {
    const device = this.bus.registry.held(credentialsUuid)
    if (device === undefined) return undefined
    return new OpenedCredentials(this, credentialsUuid, decryptCredentials(this.endoFrom(device).encrypted, this.keyring))
  }

  async openForJob (credentialsUuid: string, blob?: CredentialsBlob): Promise<JobCredentials> {
    return new OpenedCredentials(this, credentialsUuid, blob ?? decryptCredentials((await this.endoOf(credentialsUuid)).encrypted, this.keyring))
  }

  /** Applies a change to C's blob and saves it; changes to the same C run one after another. */
  async update (credentialsUuid: string, change: (blob: CredentialsBlob) => CredentialsBlob | void): Promise<CredentialsBlob> {
    return await this.serialized(credentialsUuid, async () => {
      const endo = await this.endoOf(credentialsUuid)
      const blob = openCredentials<CredentialsBlob>(endo.encrypted, this.keyring)
      const changed = change(blob) ?? blob
      await this.write(credentialsUuid, { ...endo, encrypted: resealCredentials(endo.encrypted, changed, this.keyring) })
      return changed
    })
  }

  private async serialized<T> (credentialsUuid: string, task: () => Promise<T>): Promise<T> {
    const previous = this.saving.get(credentialsUuid) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(task)
    this.saving.set(credentialsUuid, next)
    try {
      return await next
    } finally {
      if (this.saving.get(credentialsUuid) === next) this.saving.delete(credentialsUuid)
    }
  }

  /** Writes a fresh envelope (new data key) for a new or re-authorized credentials device. */
  async initialize (credentialsUuid: string, fields: Omit<EndoBlob, 'credentialsDeviceUuid' | 'version' | 'encrypted'>, blob: CredentialsBlob): Promise<void> {
    await this.write(credentialsUuid, { credentialsDeviceUuid: credentialsUuid, version: '2.0.0', ...fields, encrypted: sealCredentials(blob, this.keyring) })
  }

  /** Changes C's searchable fields (not the envelope). */
  async setFields (credentialsUuid: string, fields: Partial<Pick<EndoBlob, 'idKey' | 'authorizedKeys'>>): Promise<void> {
    await this.serialized(credentialsUuid, async () => { await this.write(credentialsUuid, { ...await this.endoOf(credentialsUuid), ...fields }) })
  }

  /** Switches to a rotated keyring (its older keys still open envelopes not yet re-wrapped). */
  useKeyring (keyring: ServiceKeyring): void {
    this.keyring = keyring
  }

  /** Re-wraps C's data key with the current service key (rotation); the ciphertext is unchanged. */
  async rewrap (credentialsUuid: string): Promise<void> {
    await this.serialized(credentialsUuid, async () => {
      const endo = await this.endoOf(credentialsUuid)
      const encrypted = rewrapEnvelope(endo.encrypted, this.keyring)
      if (encrypted.keyId !== endo.encrypted.keyId) await this.write(credentialsUuid, { ...endo, encrypted })
    })
  }

  private async write (credentialsUuid: string, endo: EndoBlob): Promise<void> {
    await this.bus.update({ uuid: this.serviceUuid }, credentialsUuid, { $set: { endo, endoSignature: this.secrets.integrityOf(endo) } })
  }
}

// A class, not an object literal with a getter: a literal's accessor makes V8 build a new hidden class on
// every evaluation, i.e. one per job.
class OpenedCredentials implements JobCredentials {
  private current?: CredentialsBlob
  private plaintext?: Buffer

  constructor (private readonly store: CredentialsStore, private readonly credentialsUuid: string, opened: CredentialsBlob | Buffer) {
    if (Buffer.isBuffer(opened)) this.plaintext = opened
    else this.current = opened
  }

  get blob (): CredentialsBlob {
    if (this.current === undefined) {
      this.current = parseCredentials<CredentialsBlob>(this.plaintext as Buffer)
      this.plaintext = undefined
    }
    return this.current
  }

  async update (change: (blob: CredentialsBlob) => CredentialsBlob | void): Promise<CredentialsBlob> {
    this.current = await this.store.update(this.credentialsUuid, change)
    // the save supersedes bytes the job never read
    this.plaintext?.fill(0)
    this.plaintext = undefined
    return this.current
  }
}
