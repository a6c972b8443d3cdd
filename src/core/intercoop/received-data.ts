// Data peers sent us, held for the continuation page: under a random uuid4 token that is
// single-use and short-lived (reference §A3/§A5 fixes). The store keeps only the token's hash and
// the data sealed with AES-256-GCM under a key derived from the token, so the store alone reads nothing.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import { NoSuchUuid } from './errors.js'

export interface ReceivedData {
  originpeer: string
  service: string | null
  nonce: string | null
  /** The payload exactly as signed. */
  payloadYaml: string
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function tokenHash (token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

function keyOf (token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(token, 'utf8'), Buffer.alloc(0), 'endo-vault intercoop received data', 32))
}

function seal (token: string, text: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(token), iv)
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map(part => typeof part === 'string' ? part : part.toString('base64url')).join('.')
}

function unseal (token: string, sealed: string): string {
  const [, iv, tag, ciphertext] = sealed.split('.').map(part => Buffer.from(part, 'base64url'))
  // only seal writes this column; anything else is a damaged store, an internal error
  if (iv === undefined || tag === undefined || ciphertext === undefined) throw new Error('sealed received data has fewer than 4 parts')
  const decipher = createDecipheriv('aes-256-gcm', keyOf(token), iv)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
}

/** Stores verified data; returns its token (the uuid of the upstream response). */
export async function storeReceivedData (db: Kysely<Database>, data: ReceivedData, now: Date, ttlMs: number): Promise<string> {
  const token = randomUUID()
  await db.insertInto('intercoop_received_data').values({
    token_hash: tokenHash(token),
    originpeer: data.originpeer,
    service: data.service,
    nonce: data.nonce,
    sealed: seal(token, data.payloadYaml),
    received_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlMs).toISOString(),
  }).execute()
  return token
}

/** Returns the data once and deletes it; NoSuchUuid when unknown, used or expired. */
export async function takeReceivedData (db: Kysely<Database>, token: string, now: Date): Promise<ReceivedData> {
  if (!CANONICAL_UUID.test(token)) throw new NoSuchUuid(token)
  const row = await db.deleteFrom('intercoop_received_data')
    .where('token_hash', '=', tokenHash(token))
    .returningAll()
    .executeTakeFirst()
  if (row === undefined || row.expires_at < now.toISOString()) throw new NoSuchUuid(token)
  return { originpeer: row.originpeer, service: row.service, nonce: row.nonce, payloadYaml: unseal(token, row.sealed) }
}

/** Deletes data whose token expired unused. */
export async function forgetExpiredData (db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('intercoop_received_data').where('expires_at', '<', now.toISOString()).execute()
}

/** Deletes data not yet collected of a transfer whose consent was withdrawn; true when some was. */
export async function forgetTransfer (db: Kysely<Database>, originpeer: string, nonce: string): Promise<boolean> {
  const result = await db.deleteFrom('intercoop_received_data')
    .where('originpeer', '=', originpeer).where('nonce', '=', nonce)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
