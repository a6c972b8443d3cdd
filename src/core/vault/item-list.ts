// Listing a person's items (meeco-vault §3 GET /items): own and received, filtered by template, ownership and
// label, in creation order with an opaque cursor (`next_page_after`). Lists carry no slot values: reading a
// received item costs an RSA private-key operation, so values come one item at a time (GetItem).
import { sql } from 'kysely'
import type { Store } from '../store/database.js'
import type { Item } from '../wire/schema-types.js'
import { itemSummary } from './item-views.js'
import { VaultErrors } from './vault-errors.js'

export interface ItemListQuery {
  template_name?: string
  own?: boolean
  label?: string
  next_page_after?: string
  per_page?: number
}

export const DEFAULT_PAGE_SIZE = 50

function cursorOf (item: { created_at: string, id: string }): string {
  return Buffer.from(JSON.stringify([item.created_at, item.id])).toString('base64url')
}

function parseCursor (cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 2 && value.every(part => typeof part === 'string')) return value as [string, string]
  } catch {}
  throw VaultErrors.badCursor()
}

function likePattern (text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, ch => `\\${ch}`)}%`
}

export async function listItems (store: Store, ownerId: string, query: ItemListQuery): Promise<{ items: Item[], next_page_after: string | null }> {
  const perPage = query.per_page ?? DEFAULT_PAGE_SIZE
  let select = store.selectFrom('vault_items').selectAll().where('owner_id', '=', ownerId)
  if (query.template_name !== undefined) select = select.where('template_name', '=', query.template_name)
  if (query.own !== undefined) select = select.where('own', '=', query.own ? 1 : 0)
  if (query.label !== undefined) select = select.where(sql<boolean>`lower(label) like ${likePattern(query.label)} escape '\\'`)
  if (query.next_page_after !== undefined) {
    const [createdAt, id] = parseCursor(query.next_page_after)
    select = select.where(eb => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]))
  }
  const rows = await select.orderBy('created_at').orderBy('id').limit(perPage + 1).execute()
  const page = rows.slice(0, perPage)
  const last = page.at(-1)
  return { items: page.map(itemSummary), next_page_after: rows.length > perPage && last !== undefined ? cursorOf(last) : null }
}
