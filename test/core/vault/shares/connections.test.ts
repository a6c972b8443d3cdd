// Invitations and connections (meeco-vault §4).
import { connect, newPerson, openVault, storedText, type VaultFixture } from '../vault.fixture.js'

let fx: VaultFixture
beforeAll(async () => { fx = await openVault() })
afterAll(async () => { await fx.close() })

describe('an invitation', () => {
  it('gives a token its invitee can read, and accepting it connects both sides under the names each gave', async () => {
    const alice = newPerson()
    const bob = newPerson()
    const { token, invitation } = await fx.vault.invitations.create(alice, { name: 'Bob' })
    expect(invitation).toMatchObject({ own: true, state: 'new' })
    expect(await fx.vault.invitations.read(bob, token)).toEqual(expect.not.objectContaining({ id: expect.anything() }))
    const { connection, existedAlready } = await fx.vault.connections.accept(bob, { token, name: 'Alice' })
    expect(existedAlready).toBe(false)
    expect(connection.name).toBe('Alice')
    expect((await fx.vault.connections.list(alice)).map(c => c.name)).toEqual(['Bob'])
    expect((await fx.vault.invitations.read(alice, token)).state).toBe('accepted')
  })

  it('keeps the token, the names and the private keys out of the store', async () => {
    const alice = newPerson()
    const { token } = await fx.vault.invitations.create(alice, { name: 'Bobby Tables' })
    await fx.vault.connections.accept(newPerson(), { token, name: 'Alice Liddell' })
    const text = await storedText(fx.store)
    expect(text).not.toContain(token)
    expect(text).not.toMatch(/Bobby Tables|Alice Liddell|PRIVATE KEY/)
    expect(Object.keys(alice.credentials.blob.vault?.keypairs as object)).toHaveLength(1)
  })

  it('that was used is a 410', async () => {
    const { token } = await fx.vault.invitations.create(newPerson(), {})
    await fx.vault.connections.accept(newPerson(), { token })
    await expect(fx.vault.connections.accept(newPerson(), { token })).rejects.toMatchObject({ code: 410, message: 'invitation was already used' })
    await expect(fx.vault.invitations.read(newPerson(), token)).rejects.toMatchObject({ code: 410 })
  })

  it('that was cancelled is a 410, and its key pair is dropped', async () => {
    const alice = newPerson()
    const { token, invitation } = await fx.vault.invitations.create(alice, {})
    await fx.vault.invitations.cancel(alice, invitation.id as string)
    await expect(fx.vault.connections.accept(newPerson(), { token })).rejects.toMatchObject({ code: 410, message: 'invitation was cancelled' })
    expect(alice.credentials.blob.vault?.keypairs).toEqual({})
  })

  it('that expired is a 410', async () => {
    const { token } = await fx.vault.invitations.create(newPerson(), { expires_at: new Date(Date.now() + 50).toISOString() })
    await new Promise(resolve => setTimeout(resolve, 80))
    await expect(fx.vault.connections.accept(newPerson(), { token })).rejects.toMatchObject({ code: 410, message: 'invitation has expired' })
  })

  it('with an expiry in the past is refused', async () => {
    await expect(fx.vault.invitations.create(newPerson(), { expires_at: '2000-01-01T00:00:00Z' })).rejects.toMatchObject({ code: 422 })
  })

  it('with an unknown token is a 404, and its own inviter cannot accept it', async () => {
    const alice = newPerson()
    const { token } = await fx.vault.invitations.create(alice, {})
    await expect(fx.vault.connections.accept(newPerson(), { token: 'no-such-token' })).rejects.toMatchObject({ code: 404 })
    await expect(fx.vault.connections.accept(alice, { token })).rejects.toMatchObject({ code: 422 })
  })

  it('of someone already connected answers with the existing connection', async () => {
    const alice = newPerson()
    const bob = newPerson()
    await connect(fx.vault, alice, bob)
    const { token } = await fx.vault.invitations.create(alice, {})
    expect((await fx.vault.connections.accept(bob, { token })).existedAlready).toBe(true)
  })

  it('of someone else cannot be cancelled (404)', async () => {
    const { invitation } = await fx.vault.invitations.create(newPerson(), {})
    await expect(fx.vault.invitations.cancel(newPerson(), invitation.id as string)).rejects.toMatchObject({ code: 404 })
  })
})

describe('deleting a connection', () => {
  it('ends it for both sides with the shares made over it', async () => {
    const alice = newPerson()
    const bob = newPerson()
    const { inviterConnection, inviteeConnection } = await connect(fx.vault, alice, bob)
    const item = await fx.vault.items.create(alice, { template_name: 'pet', label: 'Einstein', slots: [{ name: 'species', value: 'dog' }] })
    await fx.vault.shares.shareItem(alice, item.id, { connection_id: inviterConnection })
    await expect(fx.vault.connections.delete(newPerson(), inviteeConnection)).rejects.toMatchObject({ code: 404 })
    await fx.vault.connections.delete(bob, inviteeConnection)
    expect(await fx.vault.connections.list(alice)).toEqual([])
    expect(await fx.vault.shares.list(bob, 'incoming')).toEqual([])
    expect((await fx.vault.listItems(bob, {})).items).toEqual([])
    expect(bob.credentials.blob.vault?.keypairs).toEqual({})
  })
})

describe('two invitations from the same person accepted at once', () => {
  it('make one connection, the other acceptance answering with it', async () => {
    const alice = newPerson()
    const bob = newPerson()
    const [first, second] = await Promise.all([fx.vault.invitations.create(alice, {}), fx.vault.invitations.create(alice, {})])
    const results = await Promise.all([fx.vault.connections.accept(bob, { token: first.token }), fx.vault.connections.accept(bob, { token: second.token })])
    expect(results.map(r => r.existedAlready).sort()).toEqual([false, true])
    expect(results[0].connection.id).toBe(results[1].connection.id)
    expect(await fx.vault.connections.list(bob)).toHaveLength(1)
    expect(Object.keys(bob.credentials.blob.vault?.keypairs as object)).toHaveLength(1)
  })
})
