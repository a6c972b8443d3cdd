// API token secrets: 192 random bits shown once, stored only as a keyed hash (HMAC-SHA256 under the
// server pepper, the same construction as device tokens, with its own domain prefix).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { hashToken } from '../bus/token-hash.js'

/** A new secret: 24 random bytes as 32 base64url characters (AURORAL used 16 bytes of standard base64). */
export function generateSecret (): string {
  return randomBytes(24).toString('base64url')
}

export function hashSecret (pepper: Buffer, keyid: string, secret: string): string {
  return hashToken(pepper, `api-token:${keyid}`, secret)
}

/** A stored hash no secret produces: unknown keys are compared against it, so every check costs the same. */
export const NO_HASH = '0'.repeat(64)

/** Constant-time comparison of two hex digests. */
export function sameHash (a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  return left.length === right.length && timingSafeEqual(left, right)
}
