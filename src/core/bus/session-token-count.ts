// How many session tokens a device holds: one COUNT over the tokens primary key (uuid, hashed_token),
// so checking limits.maxTokensPerDevice never loads the rows.
import type { Store } from '../store/database.js'

export async function sessionTokenCount (store: Store, uuid: string): Promise<number> {
  const row = await store.selectFrom('tokens')
    .select(eb => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('uuid', '=', uuid).where('root', '=', 0)
    .executeTakeFirst()
  return Number(row?.count ?? 0)
}
