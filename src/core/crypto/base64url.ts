// RFC 4648 url-safe base64 as Cryppo uses it: `-` and `_`, with `=` padding kept (Ruby's urlsafe_encode64).
// Decoding accepts both the url-safe and the standard alphabet (cryppo-js does), but nothing else.
import { BadRequest } from '../errors.js'

const BASE64_EITHER_ALPHABET = /^[A-Za-z0-9\-_+/]*={0,2}$/

export function encodeBase64Url (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

/** Decodes url-safe or standard base64; `what` names the value in the error (never its content). */
export function decodeBase64Url (text: string, what = 'value'): Buffer {
  if (!isBase64(text)) throw new BadRequest(`${what} is not valid base64url`)
  return Buffer.from(text, 'base64')
}

function isBase64 (text: string): boolean {
  if (typeof text !== 'string' || !BASE64_EITHER_ALPHABET.test(text)) return false
  // Padded text comes in whole quads; unpadded text can never leave a single dangling character.
  return text.includes('=') ? text.length % 4 === 0 : text.length % 4 !== 1
}
