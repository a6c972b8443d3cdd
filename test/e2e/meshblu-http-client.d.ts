// Types for the parts of the npm meshblu-http 10.2 client (CJS, untyped) the e2e tests drive.
declare module 'meshblu-http' {
  type Callback<T = any> = (error: (Error & { code?: number }) | null, result?: T) => void
  type Metadata = Record<string, unknown>

  export interface MeshbluHttpOptions {
    uuid?: string, token?: string, bearerToken?: string
    protocol?: string, hostname?: string, port?: number, keepAlive?: boolean, raw?: boolean
  }

  interface Subscription { subscriberUuid: string, emitterUuid?: string, type?: string }

  class MeshbluHttp {
    static SUBSCRIPTION_TYPES: string[]
    constructor (options?: MeshbluHttpOptions)
    authenticate (callback: Callback): void
    createHook (uuid: string, type: string, url: string, callback: Callback): void
    createSubscription (subscription: Subscription, ...rest: [Callback] | [Metadata, Callback]): void
    deleteSubscription (subscription: Subscription, ...rest: [Callback] | [Metadata, Callback]): void
    deleteSubscriptions (subscription: Subscription, ...rest: [Callback] | [Metadata, Callback]): void
    device (uuid: string, ...rest: [Callback] | [Metadata, Callback]): void
    devices (query: Record<string, unknown>, ...rest: [Callback] | [Metadata, Callback]): void
    findAndUpdate (uuid: string, operators: unknown, ...rest: [Callback] | [Metadata, Callback]): void
    generateAndStoreToken (uuid: string, ...rest: [Callback] | [Metadata, Callback]): void
    generateAndStoreTokenWithOptions (uuid: string, options: unknown, ...rest: [Callback] | [Metadata, Callback]): void
    getServerPublicKey (callback: Callback<string>): void
    healthcheck (callback: (error: Error | null, healthy?: boolean, statusCode?: number) => void): void
    message (message: unknown, ...rest: [Callback] | [Metadata, Callback]): void
    mydevices (query: Record<string, unknown>, callback: Callback): void
    publicKey (uuid: string, callback: Callback): void
    register (properties: unknown, callback: Callback): void
    resetToken (uuid: string, callback: Callback): void
    revokeToken (uuid: string, token: string, callback: Callback): void
    revokeTokenByQuery (uuid: string, query: Record<string, unknown>, callback: Callback): void
    search (query: unknown, ...rest: [Callback] | [Metadata, Callback]): void
    searchTokens (query: unknown, metadata: Metadata | undefined, callback: Callback): void
    subscriptions (uuid: string, ...rest: [Callback] | [Metadata, Callback]): void
    unregister (device: { uuid: string }, callback: Callback): void
    update (uuid: string, properties: unknown, ...rest: [Callback] | [Metadata, Callback]): void
    updateDangerously (uuid: string, operators: unknown, ...rest: [Callback] | [Metadata, Callback]): void
    whoami (callback: Callback): void
  }
  export default MeshbluHttp
}
