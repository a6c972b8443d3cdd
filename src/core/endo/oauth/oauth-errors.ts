// Errors of the OAuth side that reach a job's sender or an onboarding client. Texts are fixed here
// (credentialsNeedReconnect by reference/meshblu-endo via ErrorText); none carries a token.
import { ErrorText, UserError } from '../../errors.js'

/** 401: the provider no longer honours the stored grant; the person has to go through /auth/api again. */
export class CredentialsNeedReconnect extends UserError {
  constructor (options?: ErrorOptions) { super(401, ErrorText.credentialsNeedReconnect, undefined, options) }
}

/** 503: the provider could not be reached (network, 5xx) and the stored access token has expired. */
export class OAuthProviderUnavailable extends UserError {
  constructor (options?: ErrorOptions) { super(503, 'the OAuth provider could not be reached; try again later', undefined, options) }
  // Its text names no secret and tells the person what to do, so it reaches the wire despite the 5xx code.
  override get expose (): boolean { return true }
}
