// Issue 17, what a job leaves behind: anyone who onboards can create vault items, slots and templates,
// each up to the payload limit. Past the person's quota the job answers 409 naming the quota and nothing
// more is stored; other people are not affected.
import { startTestService, type TestService } from '../../support/test-service.js'
import { onboardPerson, type Person } from '../../support/person.js'

const ITEMS = 5
const SLOTS = 12
const TEMPLATES = 3

let service: TestService
let person: Person
let other: Person

beforeAll(async () => {
  service = await startTestService({ vault: { connectionKeyBits: 2048 }, limits: { vaultMaxItemsPerOwner: ITEMS, vaultMaxSlotsPerItem: SLOTS, vaultMaxTemplatesPerOwner: TEMPLATES } })
  person = await onboardPerson(service)
  other = await onboardPerson(service)
}, 60_000)
afterAll(async () => { await person.end(); await other.end(); await service.stop() })

const itemCount = async (ownerId: string): Promise<number> =>
  Number((await service.store.selectFrom('vault_items').select(eb => eb.fn.countAll().as('n')).where('owner_id', '=', ownerId).executeTakeFirstOrThrow()).n)

describe('vault quotas', () => {
  it('an item past the quota is refused with 409 naming it, and nothing is stored', async () => {
    for (let i = 0; i < ITEMS; i++) expect((await person.sendJob('CreateItem', { template_name: 'password', label: `item ${i}` })).metadata.code).toBe(201)
    const refused = await person.sendJob('CreateItem', { template_name: 'password', label: 'one too many' })
    expect(refused.metadata).toMatchObject({ code: 409, error: { message: `vault quota reached (items: ${ITEMS}); delete some first` } })
    expect(await itemCount(person.credentialsUuid)).toBe(ITEMS)
    // someone else's quota is their own
    expect((await other.sendJob('CreateItem', { template_name: 'password', label: 'mine' })).metadata.code).toBe(201)
  })

  it('after deleting one, an item fits again', async () => {
    const list = await person.sendJob('ListItems', {})
    expect((await person.sendJob('DeleteItem', { item_id: list.data.items[0].id })).metadata.code).toBe(200)
    expect((await person.sendJob('CreateItem', { template_name: 'password', label: 'fits again' })).metadata.code).toBe(201)
  })

  it('slots added by updates stop at the per-item quota, leaving the item as it was', async () => {
    const list = await person.sendJob('ListItems', {})
    const item = (await person.sendJob('GetItem', { item_id: list.data.items[0].id })).data.item
    const slots = (n: number, from: number): unknown[] => Array.from({ length: n }, (_, i) => ({ name: `extra_${from + i}`, value: 'v' }))
    const room = SLOTS - item.slots.length
    expect((await person.sendJob('UpdateItem', { item_id: item.id, slots: slots(room, 0) })).metadata.code).toBe(200)
    const refused = await person.sendJob('UpdateItem', { item_id: item.id, slots: slots(1, room) })
    expect(refused.metadata).toMatchObject({ code: 409, error: { message: `vault quota reached (slots per item: ${SLOTS}); delete some first` } })
    const after = await person.sendJob('GetItem', { item_id: item.id })
    expect(after.data.item.slots).toHaveLength(SLOTS)
  })

  it('templates stop at the quota', async () => {
    for (let i = 0; i < TEMPLATES; i++) expect((await person.sendJob('CreateTemplate', { label: `Template ${i}` })).metadata.code).toBe(201)
    const refused = await person.sendJob('CreateTemplate', { label: 'Template more' })
    expect(refused.metadata).toMatchObject({ code: 409, error: { message: `vault quota reached (templates: ${TEMPLATES}); delete some first` } })
  })
})
