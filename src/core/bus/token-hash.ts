// Token generation and the keyed hash under which tokens are stored (never the token itself).
import { createHmac, randomBytes } from 'node:crypto'

/** A new device token: 160 random bits as 40 lowercase hex characters (the Meshblu shape). */
export function generateToken (): string {
  return randomBytes(20).toString('hex')
}

/** HMAC-SHA256 under the server pepper, over uuid and token. */
export function hashToken (pepper: Buffer, uuid: string, token: string): string {
  return createHmac('sha256', pepper).update(uuid).update(':').update(token).digest('hex')
}
