// The real meshblu-http 10.2 client pointed at a running service, its callbacks turned into promises,
// plus short verbs for the Meshblu HTTP suites: register devices, expect a refusal.
import MeshbluHttp from 'meshblu-http'
import type { TestService } from '../support/test-service.js'

export interface Credentials { uuid: string, token: string }
type Metadata = Record<string, unknown>
type Subscription = { subscriberUuid: string, emitterUuid?: string, type?: string }

/** meshblu-http's methods, answering with a promise of the parsed body (or rejecting with the client's Error). */
export interface MeshbluApi {
  authenticate: () => Promise<any>
  createHook: (uuid: string, type: string, url: string) => Promise<any>
  createSubscription: (subscription: Subscription, metadata?: Metadata) => Promise<any>
  deleteSubscription: (subscription: Subscription, metadata?: Metadata) => Promise<any>
  deleteSubscriptions: (subscription: Subscription, metadata?: Metadata) => Promise<any>
  device: (uuid: string, metadata?: Metadata) => Promise<any>
  devices: (query: Record<string, unknown>, metadata?: Metadata) => Promise<any>
  findAndUpdate: (uuid: string, operators: unknown, metadata?: Metadata) => Promise<any>
  generateAndStoreToken: (uuid: string, metadata?: Metadata) => Promise<any>
  generateAndStoreTokenWithOptions: (uuid: string, options: unknown, metadata?: Metadata) => Promise<any>
  getServerPublicKey: () => Promise<string>
  message: (message: unknown, metadata?: Metadata) => Promise<any>
  mydevices: (query: Record<string, unknown>) => Promise<any>
  publicKey: (uuid: string) => Promise<any>
  register: (properties: unknown) => Promise<any>
  resetToken: (uuid: string) => Promise<any>
  revokeToken: (uuid: string, token: string) => Promise<any>
  revokeTokenByQuery: (uuid: string, query: Record<string, unknown>) => Promise<any>
  search: (query: unknown, metadata?: Metadata) => Promise<any>
  searchTokens: (query: unknown, metadata?: Metadata) => Promise<any>
  subscriptions: (uuid: string, metadata?: Metadata) => Promise<any>
  unregister: (device: { uuid: string }) => Promise<any>
  update: (uuid: string, properties: unknown, metadata?: Metadata) => Promise<any>
  updateDangerously: (uuid: string, operators: unknown, metadata?: Metadata) => Promise<any>
  whoami: () => Promise<any>
  healthcheck: () => Promise<{ healthy: boolean, statusCode: number }>
}

/** Methods whose metadata argument the client reads before the callback (only when given). */
const TAKES_METADATA = new Set(['createSubscription', 'deleteSubscription', 'deleteSubscriptions', 'device', 'devices', 'findAndUpdate',
  'generateAndStoreToken', 'generateAndStoreTokenWithOptions', 'message', 'search', 'subscriptions', 'update', 'updateDangerously'])

export function meshbluHttp (service: TestService, credentials?: Credentials | { bearerToken: string }): MeshbluApi {
  const client: any = new MeshbluHttp({ ...credentials, protocol: 'http', hostname: '127.0.0.1', port: service.httpPort })
  return new Proxy({} as MeshbluApi, {
    get (_target, name: string) {
      if (name === 'healthcheck') {
        return () => new Promise((resolve, reject) => {
          client.healthcheck((error: Error | null, healthy: boolean, statusCode: number) => error === null ? resolve({ healthy, statusCode }) : reject(error))
        })
      }
      return (...args: unknown[]) => new Promise((resolve, reject) => {
        // meshblu-http only treats the next-to-last argument as metadata when it is a plain object.
        while (TAKES_METADATA.has(name) && args.length > 0 && args[args.length - 1] === undefined) args.pop()
        if (name === 'searchTokens' && args.length < 2) args.push({})
        client[name](...args, (error: Error | null, result: unknown) => error === null || error === undefined ? resolve(result) : reject(error))
      })
    },
  })
}

/** Registers a device through the API; answers its credentials. */
export async function registerDevice (service: TestService, properties: Record<string, unknown> = {}): Promise<Credentials & { device: any }> {
  const device = await meshbluHttp(service).register(properties)
  return { uuid: device.uuid, token: device.token, device }
}

/** A v2 device whose lists admit exactly the given uuids (`{discover: {view: [a]}}` etc.). */
export function v2Device (whitelists: Record<string, Record<string, string[]>> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tree: Record<string, Record<string, Array<{ uuid: string }>>> = {}
  for (const [category, verbs] of Object.entries(whitelists)) {
    tree[category] = {}
    for (const [verb, uuids] of Object.entries(verbs)) tree[category][verb] = uuids.map(uuid => ({ uuid }))
  }
  return { ...extra, meshblu: { version: '2.0.0', whitelists: tree } }
}

/** Resolves with the client's error (its HTTP status in `code`); fails if the call succeeded. */
export async function refusal (call: Promise<unknown>): Promise<{ code?: number, message: string }> {
  try {
    const result = await call
    throw Object.assign(new Error(`expected a refusal, got ${JSON.stringify(result)}`), { unexpected: true })
  } catch (error: any) {
    if (error.unexpected === true) throw error
    return { code: error.code, message: error.message }
  }
}

export interface RawResponse { status: number, headers: Headers, text: string, json: any }

/** A raw HTTP request (fetch); `credentials` become HTTP Basic, a non-string body is sent as JSON. */
export async function raw (service: TestService, method: string, path: string, options: { credentials?: Credentials, headers?: Record<string, string>, body?: unknown } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.credentials !== undefined) headers.authorization = basic(options.credentials)
  let body: string | undefined
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(`${service.httpUrl}${path}`, { method, headers, body })
  const text = await response.text()
  let json: any
  try { json = text === '' ? undefined : JSON.parse(text) } catch { json = undefined }
  return { status: response.status, headers: response.headers, text, json }
}

export function basic ({ uuid, token }: Credentials, scheme = 'Basic'): string {
  return `${scheme} ${Buffer.from(`${uuid}:${token}`).toString('base64')}`
}
