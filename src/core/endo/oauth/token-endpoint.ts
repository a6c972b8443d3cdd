// The provider's token endpoint: what a token response means for the credentials blob, and the
// refresh_token grant (RFC 6749 §6). The client authenticates as passport-oauth2 does, id and secret
// in the POST body only (notes 7: never also in Basic). Errors carry the provider's error code, never a token.
import type { OAuthProvider } from './oauth-provider.js'

/** What `secrets.credentials` holds. `expiresAt` is epoch milliseconds. */
export interface ProviderTokens { accessToken: string, refreshToken?: string, expiresAt?: number, scope?: string }

const ERROR_CODE = /^[\w.-]{1,64}$/

/** The provider answered 4xx: the grant (or the client) is refused. `errorCode` is e.g. invalid_grant. */
export class TokenEndpointRefused extends Error {
  constructor (readonly status: number, readonly errorCode: string | undefined) {
    super(`the token endpoint refused the refresh (${status}${errorCode === undefined ? '' : ` ${errorCode}`})`)
    this.name = 'TokenEndpointRefused'
  }
}

/** Network failure, timeout, 5xx or an unreadable answer: the grant may still be good. */
export class TokenEndpointUnavailable extends Error {
  constructor (reason: string, options?: ErrorOptions) {
    super(`the token endpoint could not be used: ${reason}`, options)
    this.name = 'TokenEndpointUnavailable'
  }
}

/** Reads a token response (RFC 6749 §5.1); notes 13: `expires_in` and `scope` come beside the tokens. */
export function tokensOfResponse (response: Record<string, unknown>, refreshToken: unknown, now = Date.now()): ProviderTokens {
  const accessToken = response.access_token
  if (typeof accessToken !== 'string' || accessToken === '') throw new TokenEndpointUnavailable('the answer has no access_token')
  const expiresIn = Number(response.expires_in)
  const tokens: ProviderTokens = { accessToken }
  if (typeof refreshToken === 'string' && refreshToken !== '') tokens.refreshToken = refreshToken
  if (response.expires_in !== undefined && Number.isFinite(expiresIn) && expiresIn > 0) tokens.expiresAt = now + expiresIn * 1000
  if (typeof response.scope === 'string') tokens.scope = response.scope
  return tokens
}

/** Exchanges a refresh token for new tokens. Rotation (notes 12): the answer's refresh_token, when present, replaces the old one. */
export async function refreshTokens (provider: OAuthProvider, refreshToken: string, timeoutMs = 10_000): Promise<ProviderTokens> {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: provider.clientId })
  if (provider.clientSecret !== '') body.set('client_secret', provider.clientSecret)
  let response: Response
  try {
    response = await fetch(provider.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    throw new TokenEndpointUnavailable((error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error', { cause: error })
  }
  let json: Record<string, unknown> | undefined
  try { json = await response.json() as Record<string, unknown> } catch { json = undefined }
  if (response.status >= 400 && response.status < 500) {
    const code = typeof json?.error === 'string' && ERROR_CODE.test(json.error) ? json.error : undefined
    throw new TokenEndpointRefused(response.status, code)
  }
  if (!response.ok || json === undefined || json === null || typeof json !== 'object') throw new TokenEndpointUnavailable(`status ${response.status}`)
  const tokens = tokensOfResponse(json, json.refresh_token)
  return tokens.refreshToken === undefined ? { ...tokens, refreshToken } : tokens
}
