// A real OpenID Connect provider (oidc-provider 9) on 127.0.0.1, port 0, for the onboarding tests.
// The HTTP server listens first (so the service can be configured with its URLs); the client, whose
// redirect_uri must match the service's callback exactly (oauth-onboarding-notes 8), is registered
// once the service's port is known. Its interaction signs in `nextAccount` and grants every asked
// scope at once, so a test drives the "browser" with fetch alone.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync } from 'node:crypto'
import type Provider from 'oidc-provider'
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js'

/** oidc-provider is ESM-only; jest (--experimental-vm-modules) imports it as is. Its import-time
 * "Unsupported runtime" warning on Node 20 (notes 14: works on ≥ 20.19) is kept out of test output. */
async function importProvider (): Promise<typeof Provider> {
  const warn = console.warn
  console.warn = (...args: unknown[]) => { if (!String(args[0]).includes('Unsupported runtime')) warn(...args) }
  try {
    return (await import('oidc-provider')).default
  } finally {
    console.warn = warn
  }
}

export interface TestOidcProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** The service's `oauth` options pointing at this provider. */
  oauthConfig: { authorizationUrl: string, tokenUrl: string, userinfoUrl: string, revocationUrl: string, clientId: string, clientSecret: string }
  /** Registers the client with its one redirect_uri (the service callback URL). */
  registerClient: (redirectUri: string) => void
  /** The account the next interaction signs in. */
  nextAccount: string
  /** Successful grant_type=refresh_token requests, for tests that count refreshes. */
  refreshRequests: number
  /** Revokes a token at the revocation endpoint, as the client (notes 11: a refresh token takes its grant with it). */
  revokeToken: (token: string) => Promise<void>
  /** Stops answering (connections refused); safe to call twice. */
  close: () => Promise<void>
}

export interface TestOidcOptions {
  /** Access token lifetime in seconds (short, so refresh can be tested; notes 10). */
  accessTokenTtl?: number
}

const CLIENT_ID = 'endo-vault-test'

function claimsOf (accountId: string): Record<string, unknown> {
  return { sub: accountId, name: `Person ${accountId}`, preferred_username: accountId, email: `${accountId}@example.org`, email_verified: true }
}

export async function startOidcProvider (options: TestOidcOptions = {}): Promise<TestOidcProvider> {
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined
  const server = http.createServer((req, res) => {
    if (handler === undefined) { res.statusCode = 503; res.end('client not registered yet'); return }
    handler(req, res)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const clientSecret = `test-client-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`
  const Provider = await importProvider()

  const result: TestOidcProvider = {
    issuer,
    clientId: CLIENT_ID,
    clientSecret,
    oauthConfig: {
      authorizationUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      userinfoUrl: `${issuer}/me`,
      revocationUrl: `${issuer}/token/revocation`,
      clientId: CLIENT_ID,
      clientSecret,
    },
    nextAccount: 'alice',
    refreshRequests: 0,
    registerClient (redirectUri) {
      const provider = new Provider(issuer, {
        clients: [{
          client_id: CLIENT_ID,
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          // notes 7: passport-oauth2 sends the secret in the POST body
          token_endpoint_auth_method: 'client_secret_post',
        }],
        pkce: { required: () => true },
        scopes: ['openid', 'offline_access', 'profile', 'email'],
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
        findAccount: async (_ctx: unknown, accountId: string) => ({ accountId, claims: async () => claimsOf(accountId) }),
        features: {
          devInteractions: { enabled: false },
          // the client may revoke only its own tokens
          revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId },
        },
        interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
        ttl: { AccessToken: options.accessTokenTtl ?? 60, AuthorizationCode: 60, Grant: 3600, Interaction: 600, Session: 3600, RefreshToken: 3600, IdToken: 600 },
        // notes 12: a new refresh token on every refresh; reusing an old one revokes the grant
        rotateRefreshToken: true,
        cookies: { keys: ['endo-vault-test-cookie-key'] },
        // our own signing key and an explicit memory adapter: no development-only warnings in test output
        jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
        adapter: createMemoryAdapter(),
      })
      provider.on('grant.success', (ctx: { oidc?: { params?: { grant_type?: string } } }) => {
        if (ctx.oidc?.params?.grant_type === 'refresh_token') result.refreshRequests++
      })
      const app = provider.callback()
      handler = (req, res) => {
        if (req.url?.startsWith('/interaction/') === true) { void interact(provider, req, res, result.nextAccount); return }
        app(req, res)
      }
    },
    async revokeToken (token) {
      const response = await fetch(`${issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: clientSecret }),
      })
      if (response.status !== 200) throw new Error(`revocation answered ${response.status}: ${await response.text()}`)
    },
    async close () {
      if (!server.listening) return
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
  return result
}

/** Signs the account in (prompt "login"), then grants what the client asked (prompt "consent"). */
async function interact (provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, accountId: string): Promise<void> {
  try {
    const interaction = await provider.interactionDetails(req, res)
    if (interaction.prompt.name === 'login') {
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false })
      return
    }
    const account = interaction.session?.accountId ?? accountId
    const grant = (interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId)) ??
      new provider.Grant({ accountId: account, clientId: String(interaction.params.client_id) })
    const details = interaction.prompt.details as { missingOIDCScope?: string[], missingOIDCClaims?: string[] }
    grant.addOIDCScope((details.missingOIDCScope ?? []).join(' ') || String(interaction.params.scope))
    if (details.missingOIDCClaims !== undefined) grant.addOIDCClaims(details.missingOIDCClaims)
    const grantId = await grant.save()
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true })
  } catch (error) {
    res.statusCode = 500
    res.end(`interaction failed: ${(error as Error).message}`)
  }
}
