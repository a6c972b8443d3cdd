// The secret-leak scan every end-to-end suite runs when its service stops: the service's own secrets
// (token pepper, service key, service token) and every secret inside every person's credentials
// envelope (provider tokens, vault keys) must appear in no reply a test client received, no log
// line, no device document and nowhere in the database files.
import { allDevices } from './all-devices.js'
import fs from 'node:fs'
import path from 'node:path'
import type { RunningService } from '../../src/core/service/start-service.js'
import { endoBlobOf } from '../../src/core/endo/credentials-device.js'
import { readIdentityFile } from '../../src/core/service/service-identity.js'

const receivedByClients: string[] = []
const extraSecrets = new Set<string>()

/** Test clients record what they receive, so the scan can look at every reply. */
export function recordReceived (text: string): void {
  receivedByClients.push(text)
}

/** A secret a test created that must never leave the service (e.g. a provider client secret). */
export function watchSecret (value: string): void {
  if (value.length >= 8) extraSecrets.add(value)
}

function collectStrings (value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 10) return
  if (typeof value === 'string') { if (value.length >= 12) into.add(value); return }
  if (value !== null && typeof value === 'object') for (const child of Object.values(value)) collectStrings(child, into, depth + 1)
}

/**
 * PEM bodies are matched by a distinctive slice, so reformatting cannot hide them. The slice comes from the
 * end of the body: a private key's start holds its modulus, which its public key (not a secret) shares.
 */
function pemMarker (pem: string): string {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
  return body.slice(-164, -100)
}

async function secretsOf (service: RunningService & { dataDir: string }): Promise<Set<string>> {
  const secrets = new Set<string>(extraSecrets)
  secrets.add(service.identity.pepper.toString('hex'))
  secrets.add(pemMarker(service.identity.privateKeyPem))
  const file = await readIdentityFile(service.dataDir)
  if (file !== undefined) secrets.add(file.token)
  for await (const device of service.bus.registry.every()) {
    if (endoBlobOf(device) === undefined) continue
    try {
      const blob = await service.endo.credentials.open(device.uuid)
      const found = new Set<string>()
      collectStrings([blob.secrets, blob.vault], found)
      for (const value of found) secrets.add(value.includes('-----BEGIN') ? pemMarker(value) : value)
    } catch { /* a tampered device is another test's business */ }
  }
  return secrets
}

/** The SQLite file and its WAL as bytes (deleted rows included), or every row PostgreSQL holds when DATABASE_URL is set. */
async function databaseText (service: RunningService & { dataDir: string }): Promise<string> {
  if (service.config.databaseUrl !== '') {
    const tables = await service.store.introspection.getTables()
    const dumps = await Promise.all(tables.map(async table => JSON.stringify(await service.store.selectFrom(table.name as any).selectAll().execute())))
    return dumps.join('\n')
  }
  return ['endo-vault.db', 'endo-vault.db-wal']
    .map(name => path.join(service.dataDir, name))
    .filter(file => fs.existsSync(file))
    .map(file => fs.readFileSync(file).toString('latin1'))
    .join('\n')
}

export interface LeakReport { secrets: number, places: number, leaks: string[] }

export async function scanForLeaks (service: RunningService & { dataDir: string, logLines: string[] }): Promise<LeakReport> {
  const secrets = await secretsOf(service)
  const places: Array<[string, string]> = [
    ['replies', receivedByClients.join('\n')],
    ['logs', service.logLines.join('\n')],
    ['device documents', JSON.stringify(await allDevices(service.bus))],
    ['database', await databaseText(service)],
  ]
  const leaks: string[] = []
  for (const secret of secrets) {
    for (const [place, text] of places) {
      if (text.includes(secret)) leaks.push(`${secret.slice(0, 6)}… found in ${place}`)
    }
  }
  return { secrets: secrets.size, places: places.length, leaks }
}
