// A vault owner and the keys only it holds (meeco-vault §2): the DEK its own slot values are encrypted with and
// the private keys of its connection key pairs. For a person they live in the credentials envelope under
// `blob.vault`; the store never sees them. Other holders (an organization's envelope) implement VaultKeys too.
import { LRUCache } from 'lru-cache'
import { randomBytes, type KeyObject } from 'node:crypto'
import type { CredentialsBlob, JobCredentials, JobParties } from '../job-context.js'
import { rsaPrivateKey } from '../crypto/rsa-key.js'
import { VaultErrors } from './vault-errors.js'

export interface VaultKeys {
  /** The owner's data encryption key (32 bytes), created and saved on first use. */
  dataKey: () => Promise<Buffer>
  /** The private key of one of the owner's connection key pairs. */
  privateKey: (keypairId: string) => KeyObject
  addKeypair: (keypairId: string, privateKeyPem: string) => Promise<void>
  removeKeypairs: (keypairIds: string[]) => Promise<void>
}

/** Whose vault a call acts on: `id` keys every row (a person's credentials device uuid). */
export interface VaultOwner {
  id: string
  keys: VaultKeys
}

interface VaultSecrets {
  /** base64url of the 32-byte DEK */
  dek?: string
  /** keypair id → PKCS#1 private key PEM */
  keypairs?: Record<string, string>
}

const DEK_BYTES = 32

// Parsing an RSA-4096 private key PEM costs ~0.4 ms of CPU, and every job opens its credentials blob afresh, so
// reading a received item (GetItem, ReadIncomingShare) parsed the connection key each time. Key objects are kept
// by their PEM text: the same text always parses to the same key, so a hit returns what a parse would. Bounded
// (LRU); the PEMs are in each person's credentials blob, which this process opens for every job anyway.
const privateKeys = new LRUCache<string, KeyObject>({ max: 256 })

function privateKeyOf (pem: string): KeyObject {
  let key = privateKeys.get(pem)
  if (key === undefined) {
    key = rsaPrivateKey(pem)
    privateKeys.set(pem, key)
  }
  return key
}

function vaultOf (blob: CredentialsBlob): VaultSecrets {
  return (blob.vault ?? {}) as VaultSecrets
}

/** The keys a person's credentials hold; saves go through credentials.update, which serializes per person. */
export function credentialsVaultKeys (credentials: JobCredentials): VaultKeys {
  return {
    async dataKey () {
      let dek = vaultOf(credentials.blob).dek
      if (dek === undefined) {
        const fresh = randomBytes(DEK_BYTES).toString('base64url')
        // A concurrent job may have created the DEK meanwhile: keep the saved one.
        const saved = await credentials.update(blob => {
          const vault = vaultOf(blob)
          if (vault.dek === undefined) blob.vault = { ...vault, dek: fresh }
        })
        dek = vaultOf(saved).dek as string
      }
      return Buffer.from(dek, 'base64url')
    },
    privateKey (keypairId) {
      const pem = vaultOf(credentials.blob).keypairs?.[keypairId]
      if (pem === undefined) throw new Error(VaultErrors.text.missingKey)
      return privateKeyOf(pem)
    },
    async addKeypair (keypairId, privateKeyPem) {
      await credentials.update(blob => {
        const vault = vaultOf(blob)
        blob.vault = { ...vault, keypairs: { ...vault.keypairs, [keypairId]: privateKeyPem } }
      })
    },
    async removeKeypairs (keypairIds) {
      if (keypairIds.length === 0) return
      await credentials.update(blob => {
        const vault = vaultOf(blob)
        const keypairs = { ...vault.keypairs }
        for (const id of keypairIds) delete keypairs[id]
        blob.vault = { ...vault, keypairs }
      })
    },
  }
}

/** The person a job runs for: rows are keyed by their credentials device, never by ids from the message. */
export function vaultOwnerOf (context: { parties: JobParties, credentials: JobCredentials }): VaultOwner {
  return { id: context.parties.credentialsUuid, keys: credentialsVaultKeys(context.credentials) }
}
