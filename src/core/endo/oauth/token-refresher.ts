// Keeps a person's provider access token fresh: a blob whose token expires within the margin is
// refreshed before its job runs. One refresh per credentials device at a time (single-flight); every
// job waiting on it gets the saved result. With rotation (notes 12) a refresh token is spent once, so
// the blob is re-read inside the flight and the new refresh token is always stored.
import type { Logger } from '../../log.js'
import type { CredentialsBlob } from '../../job-context.js'
import type { CredentialsStore } from '../credentials-store.js'
import { CredentialsNeedReconnect, OAuthProviderUnavailable } from './oauth-errors.js'
import type { OAuthProvider } from './oauth-provider.js'
import { refreshTokens, TokenEndpointRefused, type ProviderTokens } from './token-endpoint.js'

export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<CredentialsBlob>>()
  /** Refreshes since start by outcome (for /metrics): impossible = no refresh token stored and the access token expired. */
  readonly outcomes = { succeeded: 0, refused: 0, unavailable: 0, impossible: 0 }

  constructor (
    private readonly provider: OAuthProvider,
    private readonly credentials: CredentialsStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly refresh: (provider: OAuthProvider, refreshToken: string) => Promise<ProviderTokens> = refreshTokens
  ) {}

  /** True when the blob holds this provider's tokens and they expire within the margin (or have expired). */
  needsRefresh (blob: CredentialsBlob): boolean {
    const expiresAt = blob.secrets.credentials?.expiresAt
    return blob.provider === this.provider.name && typeof expiresAt === 'number' && this.now() >= expiresAt - this.provider.refreshMarginMs
  }

  /**
   * The blob with a usable access token: refreshed and saved if needed. Throws CredentialsNeedReconnect
   * (401) when the provider refuses the refresh token, OAuthProviderUnavailable (503) when it cannot be
   * reached and the stored token has already expired.
   */
  async freshBlob (credentialsUuid: string): Promise<CredentialsBlob> {
    let flight = this.inFlight.get(credentialsUuid)
    if (flight === undefined) {
      flight = this.refreshOnce(credentialsUuid).finally(() => this.inFlight.delete(credentialsUuid))
      this.inFlight.set(credentialsUuid, flight)
    }
    return await flight
  }

  private async refreshOnce (credentialsUuid: string): Promise<CredentialsBlob> {
    // Re-read: a flight that finished just before this one may already have stored fresh tokens.
    const blob = await this.credentials.open(credentialsUuid)
    if (!this.needsRefresh(blob)) return blob
    const stored = blob.secrets.credentials ?? {}
    const stillValid = typeof stored.accessToken === 'string' && typeof stored.expiresAt === 'number' && this.now() < stored.expiresAt
    if (typeof stored.refreshToken !== 'string' || stored.refreshToken === '') {
      if (stillValid) return blob
      this.outcomes.impossible++
      this.logger.info({ credentialsUuid, reason: 'no refresh token stored' }, 'oauth.refresh.impossible')
      throw new CredentialsNeedReconnect()
    }
    const spent = stored.refreshToken
    let tokens: ProviderTokens
    try {
      tokens = await this.refresh(this.provider, spent)
    } catch (error) {
      return await this.failed(credentialsUuid, spent, stillValid ? blob : undefined, error)
    }
    const saved = await this.credentials.update(credentialsUuid, current => {
      // Re-authorized meanwhile: the newer tokens from the callback win.
      if (current.secrets.credentials?.refreshToken !== spent) return current
      return { ...current, secrets: { ...current.secrets, credentials: { ...tokens, scope: tokens.scope ?? stored.scope } } }
    })
    this.outcomes.succeeded++
    this.logger.info({ credentialsUuid, rotated: tokens.refreshToken !== spent }, 'oauth.refresh.succeeded')
    return saved
  }

  private async failed (credentialsUuid: string, spent: string, usable: CredentialsBlob | undefined, error: unknown): Promise<CredentialsBlob> {
    if (!(error instanceof TokenEndpointRefused)) {
      this.outcomes.unavailable++
      this.logger.warn({ credentialsUuid, reason: (error as Error).message }, 'oauth.refresh.unavailable')
      if (usable !== undefined) return usable
      throw new OAuthProviderUnavailable({ cause: error })
    }
    this.outcomes.refused++
    this.logger.warn({ credentialsUuid, status: error.status, error: error.errorCode }, 'oauth.refresh.refused')
    if (error.errorCode === 'invalid_grant') {
      // RFC 6749 §5.2: the grant is gone. Forget its tokens so later jobs answer 401 without asking the
      // provider again, unless a re-authorization stored new ones meanwhile (then use those).
      const current = await this.credentials.update(credentialsUuid, blob => {
        const stored = blob.secrets.credentials
        if (stored?.refreshToken !== spent) return blob
        return { ...blob, secrets: { ...blob.secrets, credentials: { scope: stored.scope, expiresAt: stored.expiresAt } } }
      })
      if (current.secrets.credentials?.refreshToken !== undefined && !this.needsRefresh(current)) return current
    }
    throw new CredentialsNeedReconnect({ cause: error })
  }
}
