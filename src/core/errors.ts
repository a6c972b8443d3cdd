// Errors a user can see: UserError with an HTTP-like code, its classes by code, and defineCatalogue, the one way a
// domain declares its texts (docs/errors.md is generated from the catalogues). Only `expose` errors reach the
// wire; anything else becomes a generic 500 (details go to the log).
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

type Text = string | ((...args: any[]) => string)

/** One error of a catalogue, as a domain declares it. */
export interface CatalogueEntry {
  /** The HTTP-like code its error carries; none for a text that is no error with a code (an MQTT `error` reply). */
  readonly code?: number
  /** The text on the wire: fixed, or built from the factory's arguments. */
  readonly text: Text
  /** Arguments of a parameterized text: the docs show what they render. */
  readonly example?: readonly unknown[]
  /** When a person sees it (a cell of docs/errors.md). */
  readonly when: string
  /** The error's class name on the wire (a job reply's `metadata.error.name`) when it is not the code's class. */
  readonly name?: string
  /** What the error carries besides its text, from the text and the factory's arguments. */
  readonly details?: (text: string, ...args: any[]) => unknown
}

/** What a doc generator reads of a catalogue: every entry with its code, its text (or an example of it) and when. */
export interface CatalogueDescription {
  readonly domain: string
  readonly entries: Readonly<Record<string, DescribedEntry>>
}

export interface DescribedEntry {
  readonly code?: number
  /** A fixed text, or a template whose `{}` stand for the arguments (intercoop). */
  readonly text?: string
  /** A parameterized text rendered with its example arguments. */
  readonly example?: string
  readonly when: string
  /** Where the error comes from, when a catalogue mixes origins (intercoop: upstream or endo-vault). */
  readonly origin?: string
}

interface ErrorOfCode { 400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 410: Gone, 413: PayloadTooLarge, 422: Unprocessable, 429: TooManyRequests }
type ErrorFor<C> = C extends keyof ErrorOfCode ? ErrorOfCode[C] : UserError
type TextArgs<T> = T extends (...args: infer A) => string ? A : []
/** 429s say when to retry: their factories take the seconds first. */
type Factory<E extends CatalogueEntry> = E['code'] extends 429
  ? (retryAfterSeconds: number, ...args: TextArgs<E['text']>) => TooManyRequests
  : (...args: TextArgs<E['text']>) => ErrorFor<E['code']>
/** A parameterized text must show an example: its arguments, typed as the text's. */
type WithExamples<E> = { [K in keyof E]: E[K] extends { text: (...args: infer A) => string } ? { example: Readonly<A> } : unknown }
type Reserved = { text?: never, description?: never }

/** A catalogue: a factory per entry with a code (`VaultErrors.itemNotFound()`), the texts, and the description the docs render. */
export type Catalogue<E extends Record<string, CatalogueEntry>> = {
  readonly [K in keyof E as E[K] extends { code: number } ? K : never]: Factory<E[K]>
} & {
  readonly text: { readonly [K in keyof E]: E[K]['text'] }
  readonly description: CatalogueDescription
}

/** The one way a domain declares the errors a person can see; docs/errors.md is rendered from these. */
export function defineCatalogue<const E extends Record<string, CatalogueEntry> & Reserved> (domain: string, entries: E & WithExamples<E>): Catalogue<E> {
  const factories: Record<string, (...args: any[]) => UserError> = {}
  const text: Record<string, Text> = {}
  const described: Record<string, DescribedEntry> = {}
  for (const [key, entry] of Object.entries(entries as Record<string, CatalogueEntry>)) {
    text[key] = entry.text
    described[key] = describedEntry(entry)
    const code = entry.code
    if (code !== undefined) factories[key] = (...args: unknown[]) => errorOf(code, entry, args)
  }
  return { ...factories, text, description: { domain, entries: described } } as unknown as Catalogue<E>
}

function describedEntry ({ code, text, example, when }: CatalogueEntry): DescribedEntry {
  return typeof text === 'string' ? { code, text, when } : { code, example: text(...example ?? []), when }
}

function errorOf (code: number, entry: CatalogueEntry, args: unknown[]): UserError {
  const retryAfterSeconds = code === 429 ? Number(args.shift()) : 0
  const message = typeof entry.text === 'string' ? entry.text : entry.text(...args)
  const error = userErrorOf(code, message, entry.details?.(message, ...args), retryAfterSeconds)
  if (entry.name !== undefined) error.name = entry.name
  return error
}

function userErrorOf (code: number, message: string, details: unknown, retryAfterSeconds: number): UserError {
  switch (code) {
    case 400: return new BadRequest(message, details)
    case 401: return new Unauthorized(message, details)
    case 403: return new Forbidden(message, details)
    case 404: return new NotFound(message, details)
    case 409: return new Conflict(message, details)
    case 410: return new Gone(message, details)
    case 413: return new PayloadTooLarge(message)
    case 422: return new Unprocessable(message, details)
    case 429: return new TooManyRequests(message, retryAfterSeconds)
    default: return new UserError(code, message, details)
  }
}

/** Meshblu answers some 422s with the text again as `{error}` beside the message. */
const meshbluDetails = (text: string): { error: string } => ({ error: text })

/** The bus and the job runner: texts fixed by ../shared/reference (meshblu-endo). */
export const CoreErrors = defineCatalogue('core', {
  devicesNotFound: { code: 404, text: 'Devices not found', when: 'GET of a device that is missing or not visible to the caller (meshblu-endo §3.3)' },
  invalidSubscriptionType: { code: 422, text: 'Invalid type', details: meshbluDetails, when: 'creating a subscription of a type outside the 12 of §2.1' },
  missingDevices: { code: 422, text: 'Missing devices', details: meshbluDetails, when: 'a message without a non-empty `devices`' },
  topicNotValid: { text: (topic: string) => `Topic '${topic}' is not valid`, example: ['my/topic'], when: 'MQTT publish to a topic that is not an API topic (§4), as an `error` reply' },
  badRoute: { code: 422, text: 'Bad route', when: 'a job whose route cannot be parsed (§5.5); logged, no reply is possible' },
  missingMetadata: { code: 422, text: 'Message is missing required property "metadata"', when: 'a job message without `metadata` (§5.5)' },
  credentialsDeviceNotFound: { code: 404, text: 'credentials device not found', when: '`/credentials/:uuid` routes for a caller not authorized for it (§5.2)' },
  credentialsNeedReconnect: { code: 401, text: 'credentials need to be reconnected', when: 'a job whose provider token could not be refreshed' },
  internal: { code: 500, text: 'Internal Server Error', when: 'any error that is not a user error; details go to the log only' },
})

/** The core texts, for the errors with a class of their own (BadRoute, InvalidMessage, CredentialsNeedReconnect) and the replies nothing throws. */
export const ErrorText = CoreErrors.text

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
