// The service logger: pino, JSON by default, pretty when stdout is a TTY.
// Secrets never reach it: the redact list covers every field name that may hold one.
import { pino, type Logger } from 'pino'
import { DEFAULT_LIMITS, clipped } from './limits.js'

export type { Logger }

export const REDACTED_PATHS = [
  'token', '*.token', 'secret', '*.secret', 'password', '*.password', 'privateKey', '*.privateKey',
  'secrets', '*.secrets', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
]

export interface LoggerOptions {
  level?: string
  pretty?: boolean
  /** A destination stream (tests collect log lines to scan them for secrets). */
  destination?: NodeJS.WritableStream
  /** Longest string kept in a log line's fields (limits.clientStringMaxChars); stacks get 20 times that. */
  maxStringChars?: number
}

const MAX_LOGGED_DEPTH = 4
const MAX_LOGGED_ITEMS = 20

/**
 * A log line's fields with every string cut, objects shallow and arrays short: fields may hold what a
 * client sent (an 800 KB jobType, a whole request), and one line must not cost more than a few KB.
 */
function clippedFields (value: unknown, max: number, depth = 0): unknown {
  if (typeof value === 'string') return clipped(value, max)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_LOGGED_DEPTH) return Array.isArray(value) ? '[array]' : '[object]'
  if (value instanceof Error) {
    // same prototype, so pino's error serializer still names the class
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>
    Object.assign(copy, clippedFields({ ...value }, max, depth + 1), { message: clipped(value.message, max * 4), stack: clipped(value.stack ?? '', max * 20) })
    if (value.cause !== undefined) copy.cause = clippedFields(value.cause, max, depth + 1)
    return copy
  }
  if (Array.isArray(value)) return value.slice(0, MAX_LOGGED_ITEMS).map(item => clippedFields(item, max, depth + 1))
  const result: Record<string, unknown> = {}
  let count = 0
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    if (++count > MAX_LOGGED_ITEMS) { result['…'] = 'more fields'; break }
    result[clipped(key, max)] = clippedFields((value as Record<string, unknown>)[key], max, depth + 1)
  }
  return result
}

export function createLogger (options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info'
  const max = options.maxStringChars ?? DEFAULT_LIMITS.clientStringMaxChars
  const base = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { log: (fields: Record<string, unknown>) => clippedFields(fields, max) as Record<string, unknown> },
  }
  if (options.destination !== undefined) return pino(base, options.destination as any)
  const pretty = options.pretty ?? process.stdout.isTTY
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } })
  return pino(base)
}
