// Bad input (issue 5) over MQTT: someone else's or missing things are the same 404; used, cancelled or
// expired invitations 410; unaccepted shares 403; on-sharing without permission 403; expired shares 410;
// unknown slot names become extra slots; values that are not strings 422 naming the slot.
import { randomUUID } from 'node:crypto'
import { job, failing, connectPeople, DELOREAN, onboardPerson, startVaultService, valuesOf, type Person, type TestService } from './vault.fixture.js'

let service: TestService
let alice: Person, bob: Person, mallory: Person
let aliceToBob: string, bobToAlice: string, itemId: string

beforeAll(async () => {
  service = await startVaultService()
  ;[alice, bob, mallory] = await Promise.all(['alice', 'bob', 'mallory'].map(async username => await onboardPerson(service, { username })))
  ;({ inviterConnection: aliceToBob, inviteeConnection: bobToAlice } = await connectPeople(alice, 'Bob', bob, 'Alice'))
  itemId = (await job(alice, 'CreateItem', DELOREAN, 201)).item.id
})
afterAll(async () => { await Promise.all([alice.end(), bob.end(), mallory.end()]); await service.stop() })

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('an item, share, connection or invitation of someone else', () => {
  it('is answered 404 exactly as one that does not exist', async () => {
    const missing = randomUUID()
    for (const [jobType, data] of [['GetItem', { item_id: itemId }], ['UpdateItem', { item_id: itemId, label: 'x' }], ['DeleteItem', { item_id: itemId }], ['PushItemUpdates', { item_id: itemId }]] as const) {
      expect(await failing(mallory, jobType, data)).toEqual(await failing(mallory, jobType, { ...data, item_id: missing }))
      expect((await failing(mallory, jobType, data)).code).toBe(404)
    }
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)
    for (const jobType of ['GetIncomingShare', 'AcceptShare', 'RejectShare', 'DeleteShare']) {
      expect(await failing(mallory, jobType, { share_id: share.id })).toEqual({ code: 404, message: 'share not found' })
    }
    expect(await failing(mallory, 'DeleteConnection', { connection_id: aliceToBob })).toEqual({ code: 404, message: 'connection not found' })
    expect(await failing(mallory, 'ShareItem', { item_id: itemId, connection_id: bobToAlice })).toEqual({ code: 404, message: 'item not found' })
    const { invitation } = await job(alice, 'CreateInvitation', {}, 201)
    expect(await failing(mallory, 'CancelInvitation', { invitation_id: invitation.id })).toEqual({ code: 404, message: 'invitation not found' })
    expect(await failing(mallory, 'AcceptInvitation', { token: 'not-a-token' })).toEqual({ code: 404, message: 'invitation not found' })
    await job(alice, 'DeleteShare', { share_id: share.id })
  })
})

describe('an invitation token', () => {
  it('that was used is answered 410', async () => {
    const { token } = await job(mallory, 'CreateInvitation', {}, 201)
    await job(bob, 'AcceptInvitation', { token, name: 'Mallory' }, 201)
    expect(await failing(alice, 'AcceptInvitation', { token })).toEqual({ code: 410, message: 'invitation was already used' })
    expect(await failing(alice, 'GetInvitation', { token })).toEqual({ code: 410, message: 'invitation was already used' })
  })

  it('that was cancelled is answered 410', async () => {
    const { token, invitation } = await job(alice, 'CreateInvitation', {}, 201)
    expect((await job(alice, 'CancelInvitation', { invitation_id: invitation.id })).invitation.state).toBe('cancelled')
    expect(await failing(mallory, 'AcceptInvitation', { token })).toEqual({ code: 410, message: 'invitation was cancelled' })
  })

  it('that expired is answered 410', async () => {
    const { token } = await job(alice, 'CreateInvitation', { expires_at: new Date(Date.now() + 700).toISOString() }, 201)
    await sleep(800)
    expect(await failing(mallory, 'AcceptInvitation', { token })).toEqual({ code: 410, message: 'invitation has expired' })
  })
})

describe('a share', () => {
  it('that needs acceptance is answered 403 until accepted', async () => {
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob, terms: 'For insurance quotes only' }, 201)
    expect(await failing(bob, 'GetIncomingShare', { share_id: share.id })).toEqual({ code: 403, message: 'share must be accepted before it can be read' })
    expect((await job(bob, 'AcceptShare', { share_id: share.id })).share.acceptance).toBe('accepted')
    expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: share.id })).item).licence_plate).toBe('OUTATIME')
    await job(bob, 'DeleteShare', { share_id: share.id })
  })

  it('rejected by its recipient is gone for the recipient and shows as rejected to the sender', async () => {
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob, acceptance_required: true }, 201)
    expect((await job(bob, 'RejectShare', { share_id: share.id })).share).toMatchObject({ acceptance: 'rejected', item_id: null })
    expect(await failing(bob, 'GetIncomingShare', { share_id: share.id })).toEqual({ code: 410, message: 'share was rejected' })
    expect((await job(alice, 'ListShares', { direction: 'outgoing' })).shares[0].acceptance).toBe('rejected')
    await job(alice, 'DeleteShare', { share_id: share.id })
  })

  it('on-shared without the owner’s permission is answered 403', async () => {
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob }, 201)
    const bobToMallory = (await job(bob, 'ListConnections', {})).connections.find((c: { name: string }) => c.name === 'Mallory').id
    expect(await failing(bob, 'OnShareItem', { share_id: share.id, connection_id: bobToMallory })).toEqual({ code: 403, message: 'on-sharing of this item is not permitted' })
    await job(alice, 'DeleteShare', { share_id: share.id })
  })

  it('that expired is answered 410', async () => {
    const { share } = await job(alice, 'ShareItem', { item_id: itemId, connection_id: aliceToBob, expires_at: new Date(Date.now() + 700).toISOString() }, 201)
    await sleep(800)
    expect(await failing(bob, 'GetIncomingShare', { share_id: share.id })).toEqual({ code: 410, message: 'share has expired' })
    await job(alice, 'DeleteShare', { share_id: share.id })
  })
})

describe('slot values', () => {
  it('under names the template lacks become extra slots', async () => {
    const { item } = await job(alice, 'CreateItem', { template_name: 'pet', label: 'Einstein', slots: [{ name: 'species', value: 'dog' }, { name: 'owner', value: 'Doc Brown' }] }, 201)
    expect(item.slots.at(-1)).toMatchObject({ name: 'owner', label: 'owner', slot_type_name: 'key_value', value: 'Doc Brown' })
  })

  it('that are not strings are answered 422 naming the slot', async () => {
    expect(await failing(alice, 'CreateItem', { ...DELOREAN, slots: [{ name: 'year', value: 1985 }] })).toEqual({ code: 422, message: 'slot "year" value must be a string' })
    expect(await failing(alice, 'UpdateItem', { item_id: itemId, slots: [{ name: 'vin', value: { number: 1 } }] })).toEqual({ code: 422, message: 'slot "vin" value must be a string' })
  })
})
