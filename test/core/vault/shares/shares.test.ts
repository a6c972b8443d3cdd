// Shares (meeco-vault §5): sharing, reading, acceptance, expiry, on-sharing with value verification, pushing
// updates and deletion, between people connected in an in-memory store.
import { connect, newPerson, openVault, storedText, type TestPerson, type VaultFixture } from '../vault.fixture.js'

let fx: VaultFixture
beforeAll(async () => { fx = await openVault() })
afterAll(async () => { await fx.close() })

interface Trio { alice: TestPerson, bob: TestPerson, carol: TestPerson, aliceToBob: string, bobToCarol: string, itemId: string }

async function trio (): Promise<Trio> {
  const [alice, bob, carol] = [newPerson(), newPerson(), newPerson()]
  const { inviterConnection: aliceToBob } = await connect(fx.vault, alice, bob)
  const { inviterConnection: bobToCarol } = await connect(fx.vault, bob, carol)
  const item = await fx.vault.items.create(alice, { template_name: 'vehicle', label: 'DeLorean', slots: [{ name: 'model', value: 'DMC-12' }, { name: 'licence_plate', value: 'OUTATIME' }] })
  return { alice, bob, carol, aliceToBob, bobToCarol, itemId: item.id }
}

const valuesOf = (item: { slots?: Array<{ name: string, value: string | null }> }): Record<string, string | null> =>
  Object.fromEntries((item.slots ?? []).filter(s => s.value !== null).map(s => [s.name, s.value]))

describe('a whole-item share', () => {
  it('gives the recipient a verified, decrypted copy listed among their items', async () => {
    const { alice, bob, aliceToBob, itemId } = await trio()
    const share = await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob })
    expect(share).toMatchObject({ direction: 'outgoing', item_id: itemId, acceptance: 'acceptance_not_required', label: 'DeLorean' })
    const [incoming] = await fx.vault.shares.list(bob, 'incoming')
    const { item } = await fx.vault.shares.readIncoming(bob, incoming.id)
    expect(valuesOf(item)).toEqual({ model: 'DMC-12', licence_plate: 'OUTATIME' })
    expect(item.slots?.filter(s => s.value !== null).every(s => s.value_verified === true)).toBe(true)
    expect((await fx.vault.listItems(bob, { own: false })).items.map(i => i.id)).toEqual([incoming.item_id])
    expect(await fx.vault.items.get(bob, incoming.item_id as string)).toMatchObject({ own: false, share_id: incoming.id })
    expect(await storedText(fx.store)).not.toMatch(/OUTATIME|DMC-12/)
  })

  it('of the same item over the same connection twice is a 409', async () => {
    const { alice, aliceToBob, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob })
    await expect(fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob })).rejects.toMatchObject({ code: 409 })
  })

  it('over someone else’s connection or of someone else’s item is a 404', async () => {
    const { alice, bob, aliceToBob, bobToCarol, itemId } = await trio()
    await expect(fx.vault.shares.shareItem(alice, itemId, { connection_id: bobToCarol })).rejects.toMatchObject({ code: 404, message: 'connection not found' })
    await expect(fx.vault.shares.shareItem(bob, itemId, { connection_id: aliceToBob })).rejects.toMatchObject({ code: 404, message: 'item not found' })
  })
})

describe('a single-slot share', () => {
  it('gives the recipient that slot only', async () => {
    const { alice, bob, aliceToBob, itemId } = await trio()
    const share = await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, slot_name: 'licence_plate' })
    expect(share.slot_name).toBe('licence_plate')
    const [incoming] = await fx.vault.shares.list(bob, 'incoming')
    expect((await fx.vault.shares.readIncoming(bob, incoming.id)).item.slots?.map(s => s.name)).toEqual(['licence_plate'])
  })
})

describe('a share that needs acceptance', () => {
  it('is a 403 to read until accepted, then reads; rejecting removes the copy', async () => {
    const { alice, bob, carol, aliceToBob, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, terms: 'Do not sell' })
    const [incoming] = await fx.vault.shares.list(bob, 'incoming')
    expect(incoming).toMatchObject({ acceptance: 'acceptance_required', terms: 'Do not sell' })
    await expect(fx.vault.shares.readIncoming(bob, incoming.id)).rejects.toMatchObject({ code: 403, message: 'share must be accepted before it can be read' })
    await expect(fx.vault.shares.accept(carol, incoming.id)).rejects.toMatchObject({ code: 404 })
    await fx.vault.shares.accept(bob, incoming.id)
    expect(valuesOf((await fx.vault.shares.readIncoming(bob, incoming.id)).item)).toMatchObject({ model: 'DMC-12' })
    expect((await fx.vault.shares.reject(bob, incoming.id)).acceptance).toBe('rejected')
    expect((await fx.vault.listItems(bob, {})).items).toEqual([])
    expect((await fx.vault.shares.list(alice, 'outgoing'))[0].acceptance).toBe('rejected')
  })
})

describe('an expired share', () => {
  it('is a 410 to read', async () => {
    const { alice, bob, aliceToBob, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, expires_at: new Date(Date.now() + 60).toISOString() })
    await new Promise(resolve => setTimeout(resolve, 90))
    const [incoming] = await fx.vault.shares.list(bob, 'incoming')
    await expect(fx.vault.shares.readIncoming(bob, incoming.id)).rejects.toMatchObject({ code: 410, message: 'share has expired' })
  })
})

describe('on-sharing', () => {
  it('without the owner’s permission is a 403', async () => {
    const { alice, bob, aliceToBob, bobToCarol, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob })
    const [incoming] = await fx.vault.shares.list(bob, 'incoming')
    await expect(fx.vault.shares.onShare(bob, incoming.id, { connection_id: bobToCarol })).rejects.toMatchObject({ code: 403, message: 'on-sharing of this item is not permitted' })
    await expect(fx.vault.shares.shareItem(bob, incoming.item_id as string, { connection_id: bobToCarol })).rejects.toMatchObject({ code: 403 })
  })

  it('where permitted reaches the third person with the owner’s hashes, never permitting further on-sharing', async () => {
    const { alice, bob, carol, aliceToBob, bobToCarol, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, onsharing_permitted: true })
    const [fromAlice] = await fx.vault.shares.list(bob, 'incoming')
    const onShare = await fx.vault.shares.onShare(bob, fromAlice.id, { connection_id: bobToCarol, onsharing_permitted: true } as never)
    expect(onShare).toMatchObject({ on_share: true, onsharing_permitted: false })
    const [fromBob] = await fx.vault.shares.list(carol, 'incoming')
    const { item } = await fx.vault.shares.readIncoming(carol, fromBob.id)
    expect(valuesOf(item)).toEqual({ model: 'DMC-12', licence_plate: 'OUTATIME' })
    expect(item.slots?.find(s => s.name === 'model')?.value_verified).toBe(true)
  })

  it('reports a value altered on the way as a 422 naming the slot', async () => {
    const { alice, bob, carol, aliceToBob, bobToCarol, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, onsharing_permitted: true })
    const [fromAlice] = await fx.vault.shares.list(bob, 'incoming')
    await fx.vault.shares.onShare(bob, fromAlice.id, { connection_id: bobToCarol })
    const [fromBob] = await fx.vault.shares.list(carol, 'incoming')
    await fx.store.updateTable('vault_slots').set({ value_verification_hash: '00'.repeat(32) })
      .where('item_id', '=', fromBob.item_id as string).where('name', '=', 'licence_plate').execute()
    await expect(fx.vault.shares.readIncoming(carol, fromBob.id)).rejects.toMatchObject({ code: 422, message: expect.stringContaining('slot "licence_plate" failed value verification') })
  })
})

describe('pushing an owner’s update', () => {
  it('brings every recipient, on-share recipients included, to the new values', async () => {
    const { alice, bob, carol, aliceToBob, bobToCarol, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, onsharing_permitted: true })
    const [fromAlice] = await fx.vault.shares.list(bob, 'incoming')
    await fx.vault.shares.onShare(bob, fromAlice.id, { connection_id: bobToCarol })
    const { outstandingShareUpdates } = await fx.vault.items.update(alice, { item_id: itemId, slots: [{ name: 'licence_plate', value: 'OUTATIME-2' }, { name: 'year', value: '1985' }] })
    expect(outstandingShareUpdates).toBe(2)
    expect(valuesOf((await fx.vault.shares.readIncoming(bob, fromAlice.id)).item).licence_plate).toBe('OUTATIME')
    expect(await fx.vault.pushItemUpdates(alice, itemId)).toEqual({ pushed: 2 })
    expect(valuesOf((await fx.vault.shares.readIncoming(bob, fromAlice.id)).item)).toEqual({ model: 'DMC-12', licence_plate: 'OUTATIME-2', year: '1985' })
    const [fromBob] = await fx.vault.shares.list(carol, 'incoming')
    expect(valuesOf((await fx.vault.shares.readIncoming(carol, fromBob.id)).item).licence_plate).toBe('OUTATIME-2')
    await expect(fx.vault.pushItemUpdates(bob, fromAlice.item_id as string)).rejects.toMatchObject({ code: 403 })
  })
})

describe('deleting a share', () => {
  it('by its recipient removes the copy and anything on-shared from it', async () => {
    const { alice, bob, carol, aliceToBob, bobToCarol, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob, onsharing_permitted: true })
    const [fromAlice] = await fx.vault.shares.list(bob, 'incoming')
    await fx.vault.shares.onShare(bob, fromAlice.id, { connection_id: bobToCarol })
    await expect(fx.vault.shares.delete(newPerson(), fromAlice.id)).rejects.toMatchObject({ code: 404 })
    await fx.vault.shares.delete(bob, fromAlice.id)
    expect(await fx.vault.shares.list(alice, 'outgoing')).toEqual([])
    expect(await fx.vault.shares.list(carol, 'incoming')).toEqual([])
    expect((await fx.vault.listItems(carol, {})).items).toEqual([])
    await expect(fx.vault.shares.readIncoming(bob, fromAlice.id)).rejects.toMatchObject({ code: 404 })
  })

  it('happens when the owner deletes the item', async () => {
    const { alice, bob, aliceToBob, itemId } = await trio()
    await fx.vault.shares.shareItem(alice, itemId, { connection_id: aliceToBob })
    await fx.vault.items.delete(alice, itemId)
    expect(await fx.vault.shares.list(bob, 'incoming')).toEqual([])
    expect((await fx.vault.listItems(bob, {})).items).toEqual([])
  })
})
