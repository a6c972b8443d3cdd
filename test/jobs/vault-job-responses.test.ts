// The vault, connection and share jobs' replies are whitelists: every object in a response schema closes
// its properties, and none of them names a key, ciphertext, owner id or secret. The runner validates every
// reply against these schemas, so a domain object passed through would be refused, not sent.
import fs from 'node:fs/promises'
import path from 'node:path'
import { JOBS_DIR, SHARED_SCHEMAS_DIR } from '../../src/core/endo/project-paths.js'

const VAULT_JOBS = [
  'list-templates', 'create-template', 'create-item', 'get-item', 'list-items', 'update-item', 'remove-slot', 'delete-item', 'push-item-updates',
  'create-invitation', 'get-invitation', 'cancel-invitation', 'accept-invitation', 'list-connections', 'delete-connection',
  'share-item', 'on-share-item', 'list-shares', 'get-incoming-share', 'accept-share', 'reject-share', 'delete-share',
]

const FORBIDDEN_NAME = /secret|private|dek|encrypted|verification_key|keypair|public_key|owner_id|user_id|recipient_id|sender_id|hash/i
/** Objects whose content is free by design (integration data of organization connections). */
const FREE_OBJECTS = new Set(['integration_data'])

async function resolved (schema: any): Promise<any> {
  if (typeof schema?.$ref === 'string') return JSON.parse(await fs.readFile(path.join(SHARED_SCHEMAS_DIR, path.basename(schema.$ref)), 'utf8'))
  return schema
}

async function problemsOf (schema: any, where: string): Promise<string[]> {
  const node = await resolved(schema)
  const problems: string[] = []
  const types = [node?.type].flat()
  if (types.includes('object') && !FREE_OBJECTS.has(where.split('.').at(-1) as string)) {
    if (node.additionalProperties !== false) problems.push(`${where} does not close its properties`)
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (FORBIDDEN_NAME.test(name)) problems.push(`${where}.${name} names something that must stay inside`)
      problems.push(...await problemsOf(child, `${where}.${name}`))
    }
  }
  if (types.includes('array')) problems.push(...await problemsOf(node.items, `${where}[]`))
  return problems
}

describe('each vault, connection and share job', () => {
  it.each(VAULT_JOBS)('%s answers with a closed whitelist of fields', async job => {
    const response = JSON.parse(await fs.readFile(path.join(JOBS_DIR, job, 'response.schema.json'), 'utf8'))
    expect(await problemsOf(response.properties.data, 'data')).toEqual([])
  })

  it.each(VAULT_JOBS)('%s has its message, response and form schemas and generated types', async job => {
    const files = await fs.readdir(path.join(JOBS_DIR, job))
    expect(files.sort()).toEqual(['form.schema.json', 'job.ts', 'message.schema.json', 'response.schema.json', 'types.ts'])
  })
})
