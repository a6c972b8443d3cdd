// The vault e2e suites' service and verbs: a real service (connection keys at 2048 bits for speed, unless a
// suite asks for the default), people onboarded over MQTT, and jobs whose replies are checked for their code.
import fs from 'node:fs'
import path from 'node:path'
import { createPrivateKey } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { decryptRsaOaep } from '../../src/core/crypto/rsa-oaep.js'
import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import type { ConfigOverrides } from '../../src/core/config.js'

export { onboardPerson, type Person, type TestService }

export async function startVaultService (overrides: ConfigOverrides = { vault: { connectionKeyBits: 2048 } }): Promise<TestService> {
  return await startTestService(overrides)
}

/** Sends a job and returns the reply's data, failing with the reply when its code is not the expected one. */
export async function job (person: Person, jobType: string, data: unknown, expectedCode = 200): Promise<any> {
  const reply = await person.sendJob(jobType, data)
  if (reply.metadata?.code !== expectedCode) {
    throw new Error(`${jobType} answered ${JSON.stringify(reply.metadata)} ${JSON.stringify(reply.data ?? null)}, expected ${expectedCode}`)
  }
  return reply.data
}

/** Sends a job expected to fail; returns `{code, message}` from the reply metadata. */
export async function failing (person: Person, jobType: string, data: unknown): Promise<{ code: number, message: string }> {
  const reply = await person.sendJob(jobType, data)
  return { code: reply.metadata?.code, message: reply.metadata?.error?.message }
}

/** Inviter invites, invitee accepts; each names the other. Returns each side's connection id. */
export async function connectPeople (inviter: Person, inviterCallsThem: string, invitee: Person, inviteeCallsThem: string): Promise<{ inviterConnection: string, inviteeConnection: string }> {
  const { token } = await job(inviter, 'CreateInvitation', { name: inviterCallsThem }, 201)
  const { connection } = await job(invitee, 'AcceptInvitation', { token, name: inviteeCallsThem }, 201)
  const { connections } = await job(inviter, 'ListConnections', {})
  const mine = connections.find((c: { name: string }) => c.name === inviterCallsThem)
  return { inviterConnection: mine.id, inviteeConnection: connection.id }
}

export const DELOREAN = {
  template_name: 'vehicle',
  label: 'DeLorean',
  slots: [
    { name: 'make', value: 'DeLorean Motor Company' },
    { name: 'model', value: 'DMC-12 time machine' },
    { name: 'licence_plate', value: 'OUTATIME' },
    { name: 'year', value: '1981' },
    { name: 'flux_capacitor', label: 'Flux capacitor', value: 'needs 1.21 gigawatts' },
  ],
}

export const valuesOf = (item: { slots?: Array<{ name: string, value: string | null }> }): Record<string, string | null> =>
  Object.fromEntries((item.slots ?? []).filter(s => s.value !== null).map(s => [s.name, s.value]))

/** Strings that must never be stored: given plaintexts, and each person's DEK, connection private keys and share keys in several encodings. */
export async function vaultSecretsOf (service: TestService, people: Person[], plaintexts: string[]): Promise<string[]> {
  const secrets = new Set(plaintexts)
  const keyForms = (bytes: Buffer): string[] => [bytes.toString('base64url').replace(/=+$/, ''), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('hex')]
  for (const person of people) {
    const vault = (await service.endo.credentials.open(person.credentialsUuid)).vault as { dek: string, keypairs?: Record<string, string> }
    for (const form of keyForms(Buffer.from(vault.dek, 'base64url'))) secrets.add(form)
    for (const pem of Object.values(vault.keypairs ?? {})) {
      const body = pem.split('\n').filter(line => line !== '' && !line.startsWith('-----'))
      secrets.add(body.join('')).add(body[1]).add(body[body.length - 2]).add(body.slice(2, 4).join('\n'))
      secrets.add(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }).toString('base64').slice(40, 120))
    }
  }
  return [...secrets].filter(secret => secret !== undefined && secret.length >= 8)
}

/** Share DEKs of every share still stored, unwrapped with the recipients' keys (for the at-rest check). */
export async function shareKeysOf (service: TestService, people: Person[]): Promise<string[]> {
  const keys: string[] = []
  for (const share of await service.store.selectFrom('vault_shares').selectAll().execute()) {
    const recipient = people.find(person => person.credentialsUuid === share.recipient_id)
    if (recipient === undefined) continue
    const vault = (await service.endo.credentials.open(recipient.credentialsUuid)).vault as { keypairs: Record<string, string> }
    const dek = decryptRsaOaep(vault.keypairs[share.keypair_id], share.encrypted_dek)
    keys.push(dek.toString('base64url').replace(/=+$/, ''), dek.toString('base64').replace(/=+$/, ''), dek.toString('hex'))
  }
  return keys
}

/** Which of the strings appear in the SQLite file: in any row (read-only, WAL included) or in the raw bytes of the file and its WAL. */
export async function storedSecretsFound (service: TestService, secrets: string[]): Promise<string[]> {
  const file = path.join(service.dataDir, 'endo-vault.db')
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  let rows = ''
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>
    rows = tables.map(({ name }) => JSON.stringify(db.prepare(`select * from "${name}"`).all())).join('\n')
  } finally {
    db.close()
  }
  const raw = ['', '-wal'].filter(suffix => fs.existsSync(file + suffix)).map(suffix => fs.readFileSync(file + suffix))
  const texts = [rows, ...raw.map(bytes => bytes.toString('latin1')), ...raw.map(bytes => bytes.toString('utf8'))]
  return secrets.filter(secret => texts.some(text => text.includes(secret)))
}
