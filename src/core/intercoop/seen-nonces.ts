// The nonces of accepted packages, per origin peer, kept in the store until their package expires:
// a second package with the same nonce is a replay (reference §A5).
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import { ReplayedPackage } from './errors.js'

/** Records a nonce, atomically; ReplayedPackage when the peer already used it. */
export async function rememberNonce (db: Kysely<Database>, originpeer: string, nonce: string, keepUntil: Date | null): Promise<void> {
  const result = await db.insertInto('intercoop_seen_nonces')
    .values({ originpeer, nonce, keep_until: keepUntil?.toISOString() ?? null })
    .onConflict(oc => oc.columns(['originpeer', 'nonce']).doNothing())
    .executeTakeFirst()
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) throw new ReplayedPackage(nonce, originpeer)
}

/** Forgets nonces whose packages can no longer be accepted anyway. */
export async function forgetExpiredNonces (db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('intercoop_seen_nonces').where('keep_until', '<', now.toISOString()).execute()
}
