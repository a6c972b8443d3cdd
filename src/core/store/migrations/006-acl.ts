// Tables of the acl domain: API tokens and their ACL entries (one row per cid, agid or oid named), so
// that deleting an organization, node or item removes it from every ACL with one indexed delete.
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('api_tokens')
    .addColumn('keyid', 'text', c => c.primaryKey())
    .addColumn('organization_id', 'text', c => c.notNull())
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('grant_types', 'text', c => c.notNull())
    .addColumn('secret_hash', 'text', c => c.notNull())
    .addColumn('previous_secret_hash', 'text')
    .addColumn('previous_secret_valid_until', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_by', 'text', c => c.notNull())
    .addColumn('created_at', 'text', c => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute()
  await db.schema.createIndex('api_tokens_by_organization').on('api_tokens').columns(['organization_id', 'created_at']).execute()

  await db.schema.createTable('api_token_acl')
    .addColumn('keyid', 'text', c => c.notNull().references('api_tokens.keyid').onDelete('cascade'))
    .addColumn('level', 'text', c => c.notNull())
    .addColumn('target', 'text', c => c.notNull())
    .addColumn('position', 'integer', c => c.notNull())
    .addPrimaryKeyConstraint('api_token_acl_pk', ['keyid', 'level', 'target'])
    .execute()
  await db.schema.createIndex('api_token_acl_by_target').on('api_token_acl').columns(['level', 'target']).execute()
}
