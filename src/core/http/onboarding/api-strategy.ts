// The passport strategy named `api` (meshblu-endo §5.1 `apiStrategy`): passport-oauth2 configured from
// the provider declaration, with state + PKCE S256 through our cookie-bound store, and the fixes the
// onboarding notes call for: the profile comes from userinfo with the token in the Authorization
// header (notes 1, 2), and prompt=consent so the provider issues a refresh token (notes 3).
import OAuth2Strategy from 'passport-oauth2'
import type { OAuthProvider } from '../../endo/oauth/oauth-provider.js'
import { tokensOfResponse, type ProviderTokens } from '../../endo/oauth/token-endpoint.js'
import type { OAuthStateStore } from './oauth-state-store.js'

/** What a successful callback yields: the tokens (secrets) and the userinfo claims. */
export interface ProviderAuthorization { tokens: ProviderTokens, profile: Record<string, unknown> }

export const STRATEGY_NAME = 'api'

export class ApiStrategy extends OAuth2Strategy {
  constructor (private readonly provider: OAuthProvider, store: OAuthStateStore) {
    super({
      authorizationURL: provider.authorizationUrl,
      tokenURL: provider.tokenUrl,
      clientID: provider.clientId,
      clientSecret: provider.clientSecret,
      callbackURL: provider.callbackUrl,
      scope: provider.scope,
      pkce: true,
      // A store object replaces passport-oauth2's session stores; its store() takes the PKCE verifier.
      store: store as unknown as OAuth2Strategy.StateStore,
    }, ApiStrategy.verify)
    this.name = STRATEGY_NAME
    // notes 2: node-oauth would otherwise send ?access_token=, which providers refuse
    this._oauth2.useAuthorizationHeaderforGET(true)
  }

  // notes 13: only the 5-argument form receives expires_in and scope
  private static verify (accessToken: string, refreshToken: string, params: Record<string, unknown>, profile: Record<string, unknown>, done: OAuth2Strategy.VerifyCallback): void {
    try {
      const authorization: ProviderAuthorization = { tokens: tokensOfResponse({ ...params, access_token: accessToken }, refreshToken), profile }
      done(null, authorization)
    } catch (error) {
      done(error)
    }
  }

  override authorizationParams (): object {
    return { prompt: 'consent' }
  }

  override userProfile (accessToken: string, done: (error?: unknown, profile?: Record<string, unknown>) => void): void {
    this._oauth2.get(this.provider.userinfoUrl, accessToken, (error, body) => {
      // notes 10: node-oauth reports {statusCode, data}; keep only the status
      if (error !== null && error !== undefined) { done(new OAuth2Strategy.InternalOAuthError('the userinfo request failed', { statusCode: (error as { statusCode?: number }).statusCode })); return }
      let profile: unknown
      try { profile = JSON.parse(String(body)) } catch { profile = undefined }
      if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) { done(new OAuth2Strategy.InternalOAuthError('the userinfo answer is not a JSON object', {})); return }
      done(null, profile as Record<string, unknown>)
    })
  }
}
