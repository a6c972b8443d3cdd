// Attacks on people's vaults: other people's items, shares, connections and invitations by id.
import type { TestService } from '../../support/test-service.js'
import { onboardPerson, type Person } from '../../support/person.js'
import type { Attack } from './attack.js'
import { DELOREAN, connectPeople, failing, job } from '../../e2e/vault.fixture.js'

const refusedWith = (codes: number[]) => async (attempt: Promise<{ code: number }>): Promise<boolean> => codes.includes((await attempt).code)
const notFound = refusedWith([404])

export async function vaultAttacks (service: TestService): Promise<Attack[]> {
  const alice: Person = await onboardPerson(service, { username: 'alice' })
  const bob: Person = await onboardPerson(service, { username: 'bob' })
  const mallory: Person = await onboardPerson(service, { username: 'mallory' })
  const { inviterConnection: aliceToBob } = await connectPeople(alice, 'Bob', bob, 'Alice')
  const { inviterConnection: malloryToBob } = await connectPeople(mallory, 'Bob', bob, 'Mallory')
  const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
  const { share } = await job(alice, 'ShareItem', { item_id: item.id, connection_id: aliceToBob, terms: 'read only', acceptance_required: true }, 201)
  const { item: second } = await job(alice, 'CreateItem', { ...DELOREAN, label: 'Second car' }, 201)
  const { share: plainShare } = await job(alice, 'ShareItem', { item_id: second.id, connection_id: aliceToBob, onsharing_permitted: false }, 201)
  const { token: usedToken } = await job(alice, 'CreateInvitation', { name: 'once' }, 201)
  const carol: Person = await onboardPerson(service, { username: 'carol' })
  await job(carol, 'AcceptInvitation', { token: usedToken, name: 'Alice' }, 201)
  const aliceItemUnchanged = async (): Promise<boolean> => (await job(alice, 'GetItem', { item_id: item.id })).item.slots.some((s: { name: string, value: string }) => s.name === 'licence_plate' && s.value === 'OUTATIME')

  return [
    { name: 'reading another person\'s item by id', attempt: async () => await notFound(failing(mallory, 'GetItem', { item_id: item.id })) },
    { name: 'updating another person\'s item by id', attempt: async () => await notFound(failing(mallory, 'UpdateItem', { item_id: item.id, slots: [{ name: 'licence_plate', value: 'HACKED' }] })) && await aliceItemUnchanged() },
    { name: 'removing a slot of another person\'s item', attempt: async () => await notFound(failing(mallory, 'RemoveSlot', { slot_id: item.slots[0].id })) && await aliceItemUnchanged() },
    { name: 'deleting another person\'s item', attempt: async () => await notFound(failing(mallory, 'DeleteItem', { item_id: item.id })) && await aliceItemUnchanged() },
    { name: 'sharing another person\'s item over your own connection', attempt: async () => await notFound(failing(mallory, 'ShareItem', { item_id: item.id, connection_id: malloryToBob })) },
    { name: 'reading a share addressed to someone else', attempt: async () => await notFound(failing(mallory, 'GetIncomingShare', { share_id: plainShare.id })) },
    { name: 'accepting a share addressed to someone else', attempt: async () => await notFound(failing(mallory, 'AcceptShare', { share_id: share.id })) },
    { name: 'deleting a share you are not part of', attempt: async () => await notFound(failing(mallory, 'DeleteShare', { share_id: plainShare.id })) },
    { name: 'deleting another person\'s connection by id', attempt: async () => await notFound(failing(mallory, 'DeleteConnection', { connection_id: aliceToBob })) },
    { name: 'reading a share that needs acceptance before accepting it', attempt: async () => await refusedWith([403])(failing(bob, 'GetIncomingShare', { share_id: share.id })) },
    { name: 'on-sharing a received item without permission', attempt: async () => await refusedWith([403])(failing(bob, 'OnShareItem', { share_id: plainShare.id, connection_id: (await job(bob, 'ListConnections', {})).connections.find((c: { name: string }) => c.name === 'Mallory').id })) },
    { name: 'accepting an invitation a second time', attempt: async () => await refusedWith([410])(failing(mallory, 'AcceptInvitation', { token: usedToken, name: 'Alice' })) },
    { name: 'reading an invitation with a made-up token', attempt: async () => await refusedWith([404, 410])(failing(mallory, 'GetInvitation', { token: 'x'.repeat(43) })) },
  ]
}
