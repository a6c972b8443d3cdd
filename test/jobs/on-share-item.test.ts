// OnShareItem: a recipient passes a received item on, where its owner permitted it; the new recipient's values
// verify against the owner's. test/e2e/vault-walkthrough.test.ts follows on-shares through deletion.
import { connectPeople, DELOREAN, failing, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()
let bobToCarol: string

beforeAll(async () => {
  const [bob, carol] = [await suite.person('bob'), await suite.person('carol')]
  ;({ inviterConnection: bobToCarol } = await connectPeople(bob, 'Carol', carol, 'Bob'))
})

/** Alice shares a new DeLorean with Bob; returns Bob's incoming share id. */
async function sharedWithBob (onsharingPermitted: boolean): Promise<string> {
  const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
  const { inviterConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
  const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
  return (await job(alice, 'ShareItem', { item_id: item.id, connection_id: inviterConnection, onsharing_permitted: onsharingPermitted }, 201)).share.id
}

describe('OnShareItem', () => {
  it('passes the item on where its owner permitted: the new recipient reads it, verified', async () => {
    const [bob, carol] = [await suite.person('bob'), await suite.person('carol')]
    const { share } = await job(bob, 'OnShareItem', { share_id: await sharedWithBob(true), connection_id: bobToCarol }, 201)
    expect(share).toMatchObject({ direction: 'outgoing', on_share: true, onsharing_permitted: false, connection_id: bobToCarol, label: 'DeLorean' })
    const { item } = await job(carol, 'GetIncomingShare', { share_id: share.id })
    expect(valuesOf(item).licence_plate).toBe('OUTATIME')
    expect(item.slots.filter((s: { value: string | null }) => s.value !== null).every((s: { value_verified: boolean }) => s.value_verified)).toBe(true)
    await job(bob, 'DeleteConnection', { connection_id: (await job(bob, 'ListConnections', {})).connections.find((c: { name: string }) => c.name === 'Alice').id })
  })

  it('refuses where the owner did not permit on-sharing (403)', async () => {
    expect(await failing(await suite.person('bob'), 'OnShareItem', { share_id: await sharedWithBob(false), connection_id: bobToCarol }))
      .toEqual({ code: 403, message: 'on-sharing of this item is not permitted' })
  })
})
