// Removes a person's secret values from text before it is logged (a job's bug may put a token in
// an error message; the log must still never hold it).
import type { CredentialsBlob } from '../job-context.js'

const MIN_SECRET_LENGTH = 8

function secretStrings (value: unknown, found: Set<string>, depth = 0): Set<string> {
  if (depth > 8) return found
  if (typeof value === 'string') { if (value.length >= MIN_SECRET_LENGTH) found.add(value); return found }
  if (value !== null && typeof value === 'object') for (const child of Object.values(value)) secretStrings(child, found, depth + 1)
  return found
}

export function scrubSecrets (text: string, blob: CredentialsBlob | undefined): string {
  if (blob === undefined) return text
  let result = text
  for (const secret of secretStrings([blob.secrets, blob.vault], new Set())) result = result.split(secret).join('[redacted]')
  return result
}

/** A loggable view of an error with the blob's secrets removed from its message and stack. */
export function scrubbedError (error: unknown, blob: CredentialsBlob | undefined): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubSecrets(String(error), blob) }
  return { type: error.name, message: scrubSecrets(error.message, blob), stack: scrubSecrets(error.stack ?? '', blob) }
}
