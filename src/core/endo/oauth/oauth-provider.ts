// The third-party OAuth2 provider as a declaration (STYLE §14): endpoints, client, scopes and the
// refresh margin, read once from `config.oauth`. Onboarding and token refresh use this, never the
// environment. The client secret stays inside this object: no log line or reply ever names it.
import { ConfigError, optionProblem, type Config } from '../../config.js'

export interface OAuthProvider {
  /**
   * Namespaces account ids in the credentials device's keyed id (`<name>:<sub>`): the origin of the
   * authorization endpoint, so two providers' subject ids never meet.
   */
  name: string
  authorizationUrl: string
  tokenUrl: string
  userinfoUrl: string
  /** Optional RFC 7009 endpoint. */
  revocationUrl?: string
  clientId: string
  clientSecret: string
  scope: string
  /**
   * Absolute callback URL (notes 8: redirect_uri must match exactly). Relative when neither
   * oauth.callbackUrl nor serviceUrl is set: passport-oauth2 then resolves it against the request's own
   * origin, so a person who starts on 127.0.0.1 comes back to 127.0.0.1 and keeps the state cookie (notes 5).
   */
  callbackUrl: string
  /** Refresh access tokens this long before they expire. */
  refreshMarginMs: number
}

export const CALLBACK_PATH = '/auth/api/callback'

function requiredUrl (config: Readonly<Config>, key: 'authorizationUrl' | 'tokenUrl' | 'userinfoUrl'): string {
  const value = config.oauth[key]
  if (value === '') throw new ConfigError(optionProblem(`oauth.${key}`, 'is required when oauth.authorizationUrl is set'))
  try { return new URL(value).href } catch { throw new ConfigError(optionProblem(`oauth.${key}`, 'is not an absolute URL')) }
}

/** The provider declared by `config.oauth`, or undefined when onboarding is off (no authorizationUrl). Bad settings throw naming the option. */
export function oauthProviderOf (config: Readonly<Config>): OAuthProvider | undefined {
  const oauth = config.oauth
  if (oauth.authorizationUrl === '') return undefined
  const authorizationUrl = requiredUrl(config, 'authorizationUrl')
  if (oauth.clientId === '') throw new ConfigError(optionProblem('oauth.clientId', 'is required when oauth.authorizationUrl is set'))
  const scopes = oauth.scope.split(/\s+/).filter(Boolean)
  // notes 1: userinfo needs the openid scope
  if (!scopes.includes('openid')) scopes.unshift('openid')
  const callbackUrl = oauth.callbackUrl !== ''
    ? oauth.callbackUrl
    : config.serviceUrl !== '' ? config.serviceUrl.replace(/\/+$/, '') + CALLBACK_PATH : CALLBACK_PATH
  return {
    name: new URL(authorizationUrl).origin,
    authorizationUrl,
    tokenUrl: requiredUrl(config, 'tokenUrl'),
    userinfoUrl: requiredUrl(config, 'userinfoUrl'),
    revocationUrl: oauth.revocationUrl === '' ? undefined : oauth.revocationUrl,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    scope: scopes.join(' '),
    callbackUrl,
    refreshMarginMs: oauth.refreshMarginSeconds * 1000,
  }
}
