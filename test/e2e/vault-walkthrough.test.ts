// Acceptance (issue 5): the seed's story over MQTT. Alice keeps her DeLorean in her vault, connects with Bob,
// shares it, updates it and pushes the change; Bob reads it and deletes the share. Then a single-slot share and
// an on-share to Carol with value verification. Finally the database file holds no plaintext and no keys.
import { job, connectPeople, DELOREAN, onboardPerson, shareKeysOf, startVaultService, storedSecretsFound, valuesOf, vaultSecretsOf, type Person, type TestService } from './vault.fixture.js'

let service: TestService
let alice: Person, bob: Person, carol: Person
const s: Record<string, any> = {}

beforeAll(async () => {
  service = await startVaultService()
  alice = await onboardPerson(service, { username: 'alice' })
  bob = await onboardPerson(service, { username: 'bob' })
  carol = await onboardPerson(service, { username: 'carol' })
})
afterAll(async () => { await Promise.all([alice.end(), bob.end(), carol.end()]); await service.stop() })

describe('meeco-vault §3–§5 walkthrough: Alice shares her DeLorean with Bob', () => {
  it('Alice finds the vehicle template among the system templates', async () => {
    const { templates } = await job(alice, 'ListTemplates', {})
    expect(templates.find((t: any) => t.name === 'vehicle')).toMatchObject({ system: true, label: 'Vehicle' })
  })

  it('Alice creates the "DeLorean" vehicle item and reads it back decrypted', async () => {
    const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
    s.itemId = item.id
    expect(item).toMatchObject({ label: 'DeLorean', name: 'delorean', template_name: 'vehicle', own: true })
    const read = await job(alice, 'GetItem', { item_id: item.id })
    expect(valuesOf(read.item)).toEqual(Object.fromEntries(DELOREAN.slots.map(slot => [slot.name, slot.value])))
  })

  it('Alice invites Bob and Bob reads the invitation before accepting it', async () => {
    const { invitation, token } = await job(alice, 'CreateInvitation', { name: 'Bob from next door' }, 201)
    expect(invitation).toMatchObject({ own: true, state: 'new' })
    s.token = token
    const read = await job(bob, 'GetInvitation', { token })
    expect(read.invitation).toEqual({ own: false, state: 'new', connection_type: null, integration_data: null, expires_at: null, created_at: invitation.created_at })
  })

  it('Bob accepts and each lists the connection under the name they gave', async () => {
    const { connection, connection_existed_already: existed } = await job(bob, 'AcceptInvitation', { token: s.token, name: 'Alice the owner' }, 201)
    expect(existed).toBe(false)
    s.bobToAlice = connection.id
    expect((await job(bob, 'ListConnections', {})).connections.map((c: any) => c.name)).toEqual(['Alice the owner'])
    const [aliceToBob] = (await job(alice, 'ListConnections', {})).connections
    expect(aliceToBob.name).toBe('Bob from next door')
    s.aliceToBob = aliceToBob.id
  })

  it('Alice shares the item with Bob', async () => {
    const { share } = await job(alice, 'ShareItem', { item_id: s.itemId, connection_id: s.aliceToBob, onsharing_permitted: true }, 201)
    expect(share).toMatchObject({ direction: 'outgoing', item_id: s.itemId, label: 'DeLorean', connection_id: s.aliceToBob, onsharing_permitted: true })
    s.shareId = share.id
  })

  it('Bob lists his incoming shares and reads the item decrypted and verified', async () => {
    const { shares } = await job(bob, 'ListShares', { direction: 'incoming' })
    expect(shares).toEqual([expect.objectContaining({ id: s.shareId, direction: 'incoming', connection_id: s.bobToAlice, label: 'DeLorean', acceptance: 'acceptance_not_required' })])
    const { item } = await job(bob, 'GetIncomingShare', { share_id: s.shareId })
    expect(item).toMatchObject({ own: false, share_id: s.shareId, label: 'DeLorean' })
    expect(valuesOf(item)).toMatchObject({ licence_plate: 'OUTATIME', flux_capacitor: 'needs 1.21 gigawatts' })
    expect(item.slots.filter((slot: any) => slot.value !== null).every((slot: any) => slot.value_verified === true)).toBe(true)
    s.bobCopy = item.id
  })

  it('Alice updates a slot: Bob still sees the old value until she pushes the change', async () => {
    const { outstanding_share_updates: outstanding } = await job(alice, 'UpdateItem', { item_id: s.itemId, slots: [{ name: 'licence_plate', value: 'OUTATIME-1985' }] })
    expect(outstanding).toBe(1)
    expect(valuesOf((await job(bob, 'GetItem', { item_id: s.bobCopy })).item).licence_plate).toBe('OUTATIME')
  })

  it('Alice pushes the change and Bob reads the new value', async () => {
    expect(await job(alice, 'PushItemUpdates', { item_id: s.itemId })).toEqual({ item_id: s.itemId, pushed: 1 })
    expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: s.shareId })).item).licence_plate).toBe('OUTATIME-1985')
  })

  it('Carol receives Alice’s item from Bob (an on-share) and it verifies against Alice’s hashes', async () => {
    const { inviterConnection } = await connectPeople(bob, 'Carol', carol, 'Bob')
    const { share } = await job(bob, 'OnShareItem', { share_id: s.shareId, connection_id: inviterConnection }, 201)
    expect(share).toMatchObject({ on_share: true, onsharing_permitted: false, item_id: s.bobCopy })
    const { item } = await job(carol, 'GetIncomingShare', { share_id: share.id })
    expect(valuesOf(item).licence_plate).toBe('OUTATIME-1985')
    expect(item.slots.find((slot: any) => slot.name === 'licence_plate').value_verified).toBe(true)
    s.carolShare = share.id
  })

  it('Carol is told when a value was altered on the way', async () => {
    await service.store.updateTable('vault_slots').set({ value_verification_hash: 'ab'.repeat(32) })
      .where('owner_id', '=', carol.credentialsUuid).where('name', '=', 'model').execute()
    const reply = await carol.sendJob('GetIncomingShare', { share_id: s.carolShare })
    expect(reply.metadata).toMatchObject({ code: 422, error: { message: expect.stringContaining('slot "model" failed value verification') } })
  })

  it('Bob deletes the share: his copy and Carol’s on-share go with it', async () => {
    expect(await job(bob, 'DeleteShare', { share_id: s.shareId })).toEqual({ share_id: s.shareId, deleted: true })
    expect((await job(bob, 'ListShares', { direction: 'incoming' })).shares).toEqual([])
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares).toEqual([])
    expect((await job(carol, 'ListItems', {})).items).toEqual([])
    expect((await bob.sendJob('GetItem', { item_id: s.bobCopy })).metadata.code).toBe(404)
  })

  it('Alice shares the licence plate alone and Bob receives only that slot', async () => {
    const { share } = await job(alice, 'ShareItem', { item_id: s.itemId, connection_id: s.aliceToBob, slot_name: 'licence_plate' }, 201)
    expect(share.slot_name).toBe('licence_plate')
    const { item } = await job(bob, 'GetIncomingShare', { share_id: share.id })
    expect(item.slots.map((slot: any) => [slot.name, slot.value])).toEqual([['licence_plate', 'OUTATIME-1985']])
  })
})

describe('the database file after the walkthrough', () => {
  it('holds no plaintext slot value, connection name, private key, DEK or share key', async () => {
    const secrets = await vaultSecretsOf(service, [alice, bob, carol], [
      ...DELOREAN.slots.map(slot => slot.value), 'OUTATIME-1985', 'Bob from next door', 'Alice the owner', s.token,
    ])
    secrets.push(...await shareKeysOf(service, [alice, bob, carol]))
    expect(secrets.length).toBeGreaterThan(20)
    expect(await storedSecretsFound(service, secrets)).toEqual([])
  })

  it('is really searched: the labels and Cryppo strings stored in the clear are found', async () => {
    expect(await storedSecretsFound(service, ['DeLorean', 'Rsa2048.', 'Aes256Gcm.'])).toEqual(['DeLorean', 'Rsa2048.', 'Aes256Gcm.'])
  })
})
