// Share keys and shared values against @meeco/cryppo 2.0.2 (the Meeco SDK's crypto): a share this service
// writes opens with cryppo-js, and a share a cryppo-js client wrote opens here.
import cryppo from '@meeco/cryppo'
import { connect, newPerson, openVault, type VaultFixture } from '../vault.fixture.js'

let fx: VaultFixture
beforeAll(async () => { fx = await openVault() })
afterAll(async () => { await fx.close() })

async function sharedDelorean (): Promise<{ bob: ReturnType<typeof newPerson>, shareId: string, copyId: string }> {
  const [alice, bob] = [newPerson(), newPerson()]
  const { inviterConnection } = await connect(fx.vault, alice, bob)
  const item = await fx.vault.items.create(alice, { template_name: 'vehicle', label: 'DeLorean', slots: [{ name: 'licence_plate', value: 'OUTATIME' }] })
  const share = await fx.vault.shares.shareItem(alice, item.id, { connection_id: inviterConnection, slot_name: 'licence_plate' })
  const [incoming] = await fx.vault.shares.list(bob, 'incoming')
  return { bob, shareId: share.id, copyId: incoming.item_id as string }
}

function privateKeyOf (person: ReturnType<typeof newPerson>, keypairId: string): string {
  return (person.credentials.blob.vault as { keypairs: Record<string, string> }).keypairs[keypairId]
}

describe('a share this service writes', () => {
  it('unwraps and decrypts with cryppo-js, and its hash matches cryppo-js hmacSha256Digest', async () => {
    const { bob, shareId, copyId } = await sharedDelorean()
    const share = await fx.store.selectFrom('vault_shares').selectAll().where('id', '=', shareId).executeTakeFirstOrThrow()
    expect(share.encrypted_dek).toMatch(/^Rsa1024\.[\w=-]+\.QQUAAAAA$/)
    const dek = await cryppo.decryptSerializedWithPrivateKey({ privateKeyPem: privateKeyOf(bob, share.keypair_id), serialized: share.encrypted_dek })
    const key = cryppo.EncryptionKey.fromBytes(cryppo.binaryStringToBytes(dek))
    const slot = await fx.store.selectFrom('vault_slots').selectAll().where('item_id', '=', copyId).executeTakeFirstOrThrow()
    const value = cryppo.bytesToUtf8(await cryppo.decryptWithKey({ key, serialized: slot.encrypted_value as string }) as Uint8Array)
    expect(value).toBe('OUTATIME')
    const vvk = await cryppo.decryptWithKey({ key, serialized: slot.encrypted_value_verification_key as string }) as Uint8Array
    expect(cryppo.hmacSha256Digest(cryppo.bytesToBinaryString(vvk), value)).toBe(slot.value_verification_hash)
  })
})

describe('a share a cryppo-js client wrote', () => {
  it('reads here, decrypted and verified', async () => {
    const { bob, shareId, copyId } = await sharedDelorean()
    const share = await fx.store.selectFrom('vault_shares').selectAll().where('id', '=', shareId).executeTakeFirstOrThrow()
    const key = cryppo.EncryptionKey.generateRandom(32)
    const vvk = cryppo.EncryptionKey.generateRandom(64)
    const { serialized: encryptedDek } = await cryppo.encryptWithPublicKey({ publicKeyPem: share.public_key, data: cryppo.bytesToBinaryString(key.bytes) })
    const { serialized: encryptedValue } = await cryppo.encryptWithKey({ key, data: cryppo.utf8ToBytes('OUTATIME-JS'), strategy: cryppo.CipherStrategy.AES_GCM })
    const { serialized: encryptedVvk } = await cryppo.encryptWithKey({ key, data: vvk.bytes, strategy: cryppo.CipherStrategy.AES_GCM })
    await fx.store.updateTable('vault_shares').set({ encrypted_dek: encryptedDek }).where('id', '=', shareId).execute()
    await fx.store.updateTable('vault_slots').set({
      encrypted_value: encryptedValue, encrypted_value_verification_key: encryptedVvk,
      value_verification_hash: cryppo.hmacSha256Digest(cryppo.bytesToBinaryString(vvk.bytes), 'OUTATIME-JS'),
    }).where('item_id', '=', copyId).execute()
    const { item } = await fx.vault.shares.readIncoming(bob, shareId)
    expect(item.slots).toEqual([expect.objectContaining({ name: 'licence_plate', value: 'OUTATIME-JS', value_verified: true })])
  })
})
