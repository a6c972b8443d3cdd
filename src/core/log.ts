// The service logger: pino, JSON by default, pretty when stdout is a TTY.
// Secrets never reach it: the redact list covers every field name that may hold one.
import { pino, type Logger } from 'pino'

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
}

export function createLogger (options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info'
  const base = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  if (options.destination !== undefined) return pino(base, options.destination as any)
  const pretty = options.pretty ?? process.stdout.isTTY
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } })
  return pino(base)
}
