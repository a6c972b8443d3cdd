// Base64 as the intercoop reference writes and reads it: url-safe alphabet WITH '=' padding
// (reference §A1), decoded the way Python's base64.urlsafe_b64decode does, with its error texts.

/** Encodes url-safe with padding (Node's 'base64url' drops the padding; Python then refuses it). */
export function encodePackageBase64 (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

export class Base64Error extends Error {}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * Decodes like CPython's binascii.a2b_base64 in its lenient mode, after urlsafe_b64decode maps
 * `-_` to `+/`: characters outside the alphabet are skipped, a complete pad ends the data,
 * leftover bits are "Incorrect padding".
 */
export function decodePackageBase64 (text: string): Buffer {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7F]/.test(text)) throw new Base64Error('string argument should contain only ASCII characters')
  const out: number[] = []
  let quad = 0
  let pads = 0
  let leftChar = 0
  let dataChars = 0
  for (const raw of text) {
    const char = raw === '-' ? '+' : raw === '_' ? '/' : raw
    if (char === '=') {
      if (quad >= 2 && quad + ++pads >= 4) return Buffer.from(out)
      continue
    }
    const value = ALPHABET.indexOf(char)
    if (value === -1) continue
    pads = 0
    dataChars++
    switch (quad) {
      case 0: quad = 1; leftChar = value; break
      case 1: quad = 2; out.push((leftChar << 2) | (value >> 4)); leftChar = value & 0x0f; break
      case 2: quad = 3; out.push((leftChar << 4) | (value >> 2)); leftChar = value & 0x03; break
      default: quad = 0; out.push((leftChar << 6) | value); leftChar = 0
    }
  }
  if (quad === 1) {
    throw new Base64Error(`Invalid base64-encoded string: number of data characters (${dataChars}) cannot be 1 more than a multiple of 4`)
  }
  if (quad !== 0) throw new Base64Error('Incorrect padding')
  return Buffer.from(out)
}
