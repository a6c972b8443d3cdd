// The registry moves into the store (issue 19): an index of the fields searches use (device_fields) and
// devices ordered by creation, so start-up no longer reads every document and a search reads only the
// rows it needs. Existing devices are indexed here, page by page.
import type { Kysely } from 'kysely'
import { INDEXED_DEVICE_FIELDS, indexedValuesOf } from '../device-field-values.js'

const PAGE = 1000

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('device_fields')
    .addColumn('field', 'text', c => c.notNull())
    .addColumn('value', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('uuid', 'text', c => c.notNull())
    .addPrimaryKeyConstraint('device_fields_pk', ['field', 'value', 'created_at', 'uuid'])
    .execute()
  await db.schema.createIndex('device_fields_by_uuid').on('device_fields').columns(['uuid']).execute()
  await db.schema.createIndex('devices_newest_first').on('devices').columns(['created_at', 'uuid']).execute()
  let after = ''
  for (;;) {
    const rows = await db.selectFrom('devices').select(['uuid', 'document', 'created_at']).where('uuid', '>', after).orderBy('uuid').limit(PAGE).execute()
    if (rows.length === 0) break
    const values = rows.flatMap(row => {
      const document = JSON.parse(row.document as string)
      return INDEXED_DEVICE_FIELDS.flatMap(field => [...indexedValuesOf(document, field)].map(value => ({ field, value, created_at: row.created_at, uuid: row.uuid })))
    })
    if (values.length > 0) await db.insertInto('device_fields').values(values).execute()
    after = rows[rows.length - 1]?.uuid as string
  }
}
