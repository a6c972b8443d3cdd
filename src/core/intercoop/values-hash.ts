// The hash that binds a consent to the exact values the person saw: HMAC-SHA256 under a random
// salt over a canonical JSON of [field, value] pairs. Neither the consent nor the receipt keeps
// the values themselves.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { YamlValue } from './yaml-1-1.js'

function canonical (value: YamlValue): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    // keys in code-unit order (what a bare sort() gives strings): stored hashes depend on it
    const entries = Object.entries(value).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item)]))
  }
  return value
}

/** The canonical text of the values of `fields`, in field order. */
export function canonicalValues (fields: string[], values: Record<string, YamlValue>): string {
  return JSON.stringify(fields.map(field => [field, canonical(values[field] ?? null)]))
}

/** `hmac-sha256:<salt>:<mac>`, both base64url. */
export function hashValues (canonicalText: string, salt: Buffer = randomBytes(16)): string {
  const mac = createHmac('sha256', salt).update(canonicalText, 'utf8').digest()
  return `hmac-sha256:${salt.toString('base64url')}:${mac.toString('base64url')}`
}

/** Whether values hash to a stored hash (constant time). */
export function valuesMatch (storedHash: string, canonicalText: string): boolean {
  const [scheme, salt] = storedHash.split(':')
  if (scheme !== 'hmac-sha256' || salt === undefined) return false
  const recomputed = Buffer.from(hashValues(canonicalText, Buffer.from(salt, 'base64url')))
  const stored = Buffer.from(storedHash)
  return recomputed.length === stored.length && timingSafeEqual(recomputed, stored)
}
