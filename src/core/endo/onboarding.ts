// Creating the devices of a person (meshblu-endo §5.3): the credentials device C for a provider
// account (found again by its keyed id on re-authorization), user devices U that route jobs to C,
// and U's status device. Used by the OAuth callback and the /credentials routes.
import type { DeviceBus } from '../bus/device-bus.js'
import type { WhitelistEntry } from '../bus/device.js'
import { isWhitelisted } from '../bus/whitelists.js'
import type { CredentialsStore } from './credentials-store.js'
import { credentialsDeviceProperties, endoBlobOf } from './credentials-device.js'
import type { CredentialsBlob } from '../job-context.js'
import type { ServiceSecrets } from './service-secrets.js'
import type { Store } from '../store/database.js'
import { rememberStatusDevice, statusDeviceOf } from './status-device.js'

export interface AccountCredentials {
  provider: string
  accountId: string
  username?: string
  profile?: Record<string, unknown>
  tokens?: { accessToken?: string, refreshToken?: string, expiresAt?: number, scope?: string }
  /** The device allowed to manage C's user devices (the person's own device), if any. */
  authorizedUuid?: string
}

const list = (...uuids: Array<string | undefined>): WhitelistEntry[] => uuids.filter((u): u is string => u !== undefined).map(uuid => ({ uuid }))

export class Onboarding {
  constructor (
    private readonly bus: DeviceBus,
    private readonly credentials: CredentialsStore,
    private readonly secrets: ServiceSecrets,
    private readonly serviceUuid: string,
    private readonly store: Store
  ) {}

  async findCredentialsDevice (provider: string, accountId: string): Promise<string | undefined> {
    const idKey = this.secrets.keyedId(`${provider}:${accountId}`)
    // idKey is an indexed field: one index read, however many devices there are
    const candidates = await this.bus.registry.withField('endo.idKey', idKey, 8)
    return candidates.find(device => endoBlobOf(device)?.idKey === idKey)?.uuid
  }

  /** Creates C on first authorization; afterwards stores the new tokens and profile, keeping vault keys. */
  async upsertCredentialsDevice (account: AccountCredentials): Promise<{ credentialsUuid: string, created: boolean }> {
    const existing = await this.findCredentialsDevice(account.provider, account.accountId)
    const authorizedKey = account.authorizedUuid === undefined ? undefined : this.secrets.keyedId(account.authorizedUuid)
    if (existing !== undefined) {
      await this.credentials.update(existing, blob => ({
        ...blob,
        username: account.username ?? blob.username,
        profile: account.profile ?? blob.profile,
        secrets: { ...blob.secrets, credentials: account.tokens ?? blob.secrets.credentials },
      }))
      if (authorizedKey !== undefined) await this.authorize(existing, authorizedKey)
      return { credentialsUuid: existing, created: false }
    }
    const { device } = await this.bus.register(credentialsDeviceProperties(this.serviceUuid))
    const blob: CredentialsBlob = {
      provider: account.provider,
      id: account.accountId,
      username: account.username,
      profile: account.profile ?? {},
      secrets: { credentials: account.tokens ?? {} },
    }
    await this.credentials.initialize(device.uuid, {
      idKey: this.secrets.keyedId(`${account.provider}:${account.accountId}`),
      authorizedKeys: authorizedKey === undefined ? [] : [authorizedKey],
    }, blob)
    await this.bus.subscriptions.create({ subscriberUuid: this.serviceUuid, emitterUuid: device.uuid, type: 'message.received' })
    return { credentialsUuid: device.uuid, created: true }
  }

  private async authorize (credentialsUuid: string, authorizedKey: string): Promise<void> {
    const endo = await this.credentials.endoOf(credentialsUuid)
    if (endo.authorizedKeys.includes(authorizedKey)) return
    await this.credentials.setFields(credentialsUuid, { authorizedKeys: [...endo.authorizedKeys, authorizedKey] })
  }

  async isAuthorized (credentialsUuid: string, callerUuid: string): Promise<boolean> {
    return (await this.credentials.endoOf(credentialsUuid)).authorizedKeys.includes(this.secrets.keyedId(callerUuid))
  }

  /**
   * A user device U for C (§5.3 whitelists, Au = authorizedUuid): C may receive U's messages and reply as U.
   * `flows` are the devices allowed to send jobs to U. Returns U's root token once.
   */
  async createUserDevice (credentialsUuid: string, options: { authorizedUuid?: string, name?: string, flows?: string[] } = {}): Promise<{ uuid: string, token: string }> {
    const au = options.authorizedUuid
    const c = credentialsUuid
    const flows = options.flows ?? []
    const { device, token } = await this.bus.register({
      name: options.name ?? 'endo-vault user device',
      type: 'endo:user',
      owner: au,
      online: true,
      octoblu: { flow: { forwardMetadata: true } },
      schemas: { version: '2.0.0', form: { $ref: '/v1/form-schema' }, message: { $ref: '/v1/message-schema' }, response: { $ref: '/v1/response-schema' } },
      meshblu: {
        version: '2.0.0',
        whitelists: {
          broadcast: { as: list(au), received: list(au), sent: list(au) },
          configure: { as: list(au, c), received: list(au), sent: list(au), update: list(au) },
          discover: { view: list(au, c), as: list(au) },
          message: { as: list(au, c), received: list(au, c), sent: list(au), from: list(au, ...flows) },
        },
      },
    })
    await this.bus.subscriptions.create({ subscriberUuid: c, emitterUuid: device.uuid, type: 'message.received' })
    const { device: status } = await this.bus.register({
      type: 'status-device',
      owner: device.uuid,
      status: { errors: [] },
      meshblu: {
        version: '2.0.0',
        whitelists: {
          configure: { update: list(device.uuid, au, this.serviceUuid), sent: list(device.uuid, au) },
          discover: { view: list(device.uuid, au, this.serviceUuid) },
        },
      },
    })
    await rememberStatusDevice(this.store, device.uuid, status.uuid)
    await this.bus.update({ uuid: device.uuid }, device.uuid, { $set: { statusDevice: status.uuid } })
    return { uuid: device.uuid, token }
  }

  /** The status device the service created for a user device (not what its own `statusDevice` field says). */
  async statusDeviceOf (userUuid: string): Promise<string | undefined> {
    return await statusDeviceOf(this.store, userUuid)
  }

  /** Emitters of C's message.received subscriptions: its user devices. */
  async userDevicesOf (credentialsUuid: string): Promise<Array<{ uuid: string }>> {
    const result: Array<{ uuid: string }> = []
    // C's own subscriptions (indexed by subscriber), in order of creation, for devices that still exist
    for (const { emitterUuid, type } of await this.bus.subscriptions.list(credentialsUuid)) {
      if (type === 'message.received' && emitterUuid !== credentialsUuid && await this.bus.registry.get(emitterUuid) !== undefined) result.push({ uuid: emitterUuid })
    }
    return result
  }

  /**
   * Revocation (§5.2), what a person means by "revoking API access" in Endo: U no longer runs jobs, and
   * whoever held its credentials is cut off now, not at their next login. C stops receiving U's messages,
   * and every token of U is revoked, which ends U's open MQTT/WebSocket sessions (the broker follows the
   * bus's credentials.ended). U itself stays registered (flows keep a valid recipient; its owner may still
   * configure it and mint it new tokens, but without C's subscription no job runs). Tokens are revoked only
   * for a device that lets C act as it (configure.as, as U's whitelists grant): C's authority, so a DELETE
   * naming some other device revokes nothing.
   */
  async revokeUserDevice (credentialsUuid: string, userUuid: string): Promise<void> {
    await this.bus.subscriptions.delete(credentialsUuid, { emitterUuid: userUuid, type: 'message.received' })
    if (userUuid !== credentialsUuid && isWhitelisted(await this.bus.registry.get(userUuid), 'configure.as', credentialsUuid)) {
      await this.bus.tokens.revokeAll(userUuid)
    }
  }
}
