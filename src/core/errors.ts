// The error catalogue: every error a user can see is a UserError with an HTTP-like code.
// Only `expose` errors reach the wire; anything else becomes a generic 500 (details go to the log).
import { DEFAULT_LIMITS, clipped } from './limits.js'

export class UserError extends Error {
  constructor (
    readonly code: number,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions
  ) {
    super(message, options)
    this.name = new.target.name
  }

  get expose (): boolean {
    return this.code < 500
  }
}

export class BadRequest extends UserError {
  constructor (message: string, details?: unknown) { super(400, message, details) }
}
export class Unauthorized extends UserError {
  constructor (message = 'Unauthorized', details?: unknown) { super(401, message, details) }
}
export class Forbidden extends UserError {
  constructor (message = 'Forbidden', details?: unknown) { super(403, message, details) }
}
export class NotFound extends UserError {
  constructor (message = 'Not Found', details?: unknown) { super(404, message, details) }
}
export class Conflict extends UserError {
  constructor (message: string, details?: unknown) { super(409, message, details) }
}
export class Gone extends UserError {
  constructor (message: string, details?: unknown) { super(410, message, details) }
}
export class PayloadTooLarge extends UserError {
  constructor (message: string) { super(413, message) }
}
export class Unprocessable extends UserError {
  constructor (message: string, details?: unknown) { super(422, message, details) }
}
export class TooManyRequests extends UserError {
  constructor (message: string, readonly retryAfterSeconds: number) { super(429, message) }
}
export class LoopDetected extends UserError {
  constructor (message = 'Loop Detected') { super(508, message) }
}

/** Texts fixed by ../shared/reference; docs/errors.md lists them and a test keeps both in sync. */
export const ErrorText = {
  devicesNotFound: 'Devices not found',
  invalidSubscriptionType: 'Invalid type',
  missingDevices: 'Missing devices',
  topicNotValid: (topic: string) => `Topic '${topic}' is not valid`,
  badRoute: 'Bad route',
  missingMetadata: 'Message is missing required property "metadata"',
  credentialsDeviceNotFound: 'credentials device not found',
  credentialsNeedReconnect: 'credentials need to be reconnected',
  internal: 'Internal Server Error',
} as const

/** HTTP reason phrases used as reply `status`. */
export function statusText (code: number): string {
  return STATUS_TEXT[code] ?? (code < 400 ? 'OK' : code < 500 ? 'Bad Request' : 'Internal Server Error')
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  508: 'Loop Detected',
}

/**
 * The wire view of any error: exposed errors keep their code and message, the rest become 500. Messages are
 * cut to `maxChars` whatever built them (a last guard: the places that copy client strings cut them first),
 * and so is the `{error}` text Meshblu-shaped details repeat.
 */
export function publicError (error: unknown, maxChars = DEFAULT_LIMITS.errorMessageMaxChars): { code: number, message: string, details?: unknown } {
  if (error instanceof UserError && error.expose) {
    const message = clipped(error.message, maxChars)
    if (error.details === undefined) return { code: error.code, message }
    const details = isErrorDetails(error.details) ? { ...error.details, error: clipped(error.details.error, maxChars) } : error.details
    return { code: error.code, message, details }
  }
  return { code: 500, message: ErrorText.internal }
}

function isErrorDetails (details: unknown): details is { error: string } {
  return details !== null && typeof details === 'object' && typeof (details as { error?: unknown }).error === 'string'
}
