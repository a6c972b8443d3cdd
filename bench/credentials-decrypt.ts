// Credentials decrypt micro-figure (in process): what opening a person's credentials costs per job.
//   cached    openCredentials with the data key in the keyring's cache (the service's steady state)
//   uncached  the same after the cache was cleared: one RSA-OAEP unwrap of the data key + AES-GCM
//   endo      the original Endo scheme on the same blob: RSA-OAEP (SHA-1) per (k − 42)-byte chunk, on every message
// The service key is the service's own size (SERVICE_KEY_BITS). Two blobs: what a person holds today
// (profile + OAuth tokens) and the same plus vault keys (a DEK and one RSA-4096 connection private key).
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { openCredentials, sealCredentials } from '../src/core/crypto/credentials-envelope.js'
import { ServiceKeyring } from '../src/core/crypto/service-keyring.js'
import { decryptEndoLegacy, encryptEndoLegacy } from '../src/core/crypto/endo-legacy-encryption.js'
import { rsaOaepMaxPlaintext } from '../src/core/crypto/rsa-oaep.js'
import { SERVICE_KEY_BITS } from '../src/core/service/service-identity.js'

/** Per-op time of many short batches: the median (the figure quoted) and the fastest batch. */
export interface DecryptFigure { microsPerOp: number, bestMicrosPerOp: number, opsPerSecond: number, iterations: number }

export interface BlobDecryptFigures {
  blob: string
  jsonBytes: number
  endoChunks: number
  cached: DecryptFigure
  uncached: DecryptFigure
  endo: DecryptFigure
  /** endo ÷ cached: how many times cheaper the cached envelope is than Endo's per-message RSA. */
  cachedVsEndo: number
}

export interface CredentialsDecryptResult {
  serviceKeyBits: number
  blobs: BlobDecryptFigures[]
}

// Short batches (~0.5 ms each), so a batch the scheduler interrupted moves only its own figure: on a busy
// machine the median still says what one operation costs, where a mean over the whole run would not.
function time (budgetMs: number, minIterations: number, op: () => void): DecryptFigure {
  const warmupEnd = performance.now() + budgetMs / 2 // let the JIT settle first
  while (performance.now() < warmupEnd) op()
  let batch = 1
  for (;;) { // the batch size that takes ~0.5 ms
    const started = performance.now()
    for (let i = 0; i < batch; i++) op()
    if (performance.now() - started >= 0.5 || batch >= 4096) break
    batch *= 2
  }
  const perOp: number[] = []
  let iterations = 0
  const started = performance.now()
  while (performance.now() - started < budgetMs || iterations < minIterations) {
    const t0 = performance.now()
    for (let i = 0; i < batch; i++) op()
    perOp.push((performance.now() - t0) * 1000 / batch)
    iterations += batch
  }
  perOp.sort((a, b) => a - b)
  const microsPerOp = perOp[Math.floor(perOp.length / 2)]
  return { microsPerOp, bestMicrosPerOp: perOp[0], opsPerSecond: 1e6 / microsPerOp, iterations }
}

function personBlob (withVaultKeys: boolean): Record<string, unknown> {
  const blob: Record<string, unknown> = {
    provider: 'bench',
    id: 'c0ffee00-1234-4abc-8def-0123456789ab',
    username: 'bench-user',
    profile: { name: 'Bench User', email: 'bench-user@example.test', picture: 'https://example.test/avatar/bench-user.png' },
    secrets: {
      credentials: {
        accessToken: randomBytes(600).toString('base64url'), // provider access tokens are often JWTs of ~0.8 kB
        refreshToken: randomBytes(32).toString('base64url'),
        expiresAt: Date.now() + 3600_000,
        scope: 'openid profile email offline_access',
      },
    },
  }
  if (withVaultKeys) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    blob.vault = { dek: randomBytes(32).toString('base64url'), connections: { 'conn-1': { privateKey } } }
  }
  return blob
}

export function measureCredentialsDecrypt (options: { quick: boolean }): CredentialsDecryptResult {
  const budgetMs = options.quick ? 100 : 1000
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: SERVICE_KEY_BITS })
  const keyring = new ServiceKeyring(privateKey)
  const blobs: BlobDecryptFigures[] = []
  // Quick mode skips the second blob: its RSA-4096 key generation alone can take seconds.
  const kinds = [['profile + OAuth tokens', false], ['+ vault DEK and an RSA-4096 connection key', true]] as const
  for (const [name, withVaultKeys] of options.quick ? kinds.slice(0, 1) : kinds) {
    const plain = personBlob(withVaultKeys)
    const json = JSON.stringify(plain)
    // Frozen, as the device registry holds every document (deep-frozen, replaced on update).
    const envelope = Object.freeze(sealCredentials(plain, keyring))
    const legacy = encryptEndoLegacy(privateKey, plain)
    // Each path must give back the blob, or its figure means nothing.
    for (const opened of [openCredentials(envelope, keyring), decryptEndoLegacy(privateKey, legacy)]) {
      if (JSON.stringify(opened) !== json) throw new Error(`credentials decrypt bench: ${name} did not round-trip`)
    }
    const cached = time(budgetMs, 200, () => { openCredentials(envelope, keyring) })
    const uncached = time(budgetMs, 20, () => { keyring.clearDataKeyCache(); openCredentials(envelope, keyring) })
    const endo = time(budgetMs, 10, () => { decryptEndoLegacy(privateKey, legacy) })
    blobs.push({
      blob: name,
      jsonBytes: Buffer.byteLength(json),
      endoChunks: Math.ceil(Buffer.byteLength(json) / rsaOaepMaxPlaintext(privateKey)),
      cached,
      uncached,
      endo,
      cachedVsEndo: endo.microsPerOp / cached.microsPerOp,
    })
  }
  return { serviceKeyBits: SERVICE_KEY_BITS, blobs }
}
