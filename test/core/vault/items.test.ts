// Items, slots and templates (meeco-vault §3) against the store, as one person and as someone else.
import { newPerson, openVault, storedText, type VaultFixture } from './vault.fixture.js'

let fx: VaultFixture
beforeAll(async () => { fx = await openVault() })
afterAll(async () => { await fx.close() })

const delorean = { template_name: 'vehicle', label: 'My DeLorean', slots: [{ name: 'make', value: 'DMC' }, { name: 'model', value: 'DMC-12' }, { name: 'licence_plate', value: 'OUTATIME' }] }

describe('templates', () => {
  it('include the seeded system templates', async () => {
    const names = (await fx.vault.templates.list(newPerson().id)).filter(t => t.system).map(t => t.name)
    expect(names).toEqual(expect.arrayContaining(['vehicle', 'password', 'passport_details', 'pet', 'travel', 'custom']))
  })

  it('a person creates are listed for that person only', async () => {
    const alice = newPerson()
    await fx.vault.templates.create(alice.id, { label: 'Bike', slots: [{ label: 'Frame number' }] })
    expect((await fx.vault.templates.find(alice.id, 'bike')).slots).toEqual([{ name: 'frame_number', label: 'Frame number', slot_type_name: 'key_value' }])
    expect((await fx.vault.templates.list(newPerson().id)).map(t => t.name)).not.toContain('bike')
  })

  it('may not take a system template name', async () => {
    await expect(fx.vault.templates.create(newPerson().id, { name: 'vehicle', label: 'Mine' })).rejects.toMatchObject({ code: 409 })
  })
})

describe('creating an item from a template', () => {
  it('clones the template slots, fills them by name and returns the values decrypted', async () => {
    const item = await fx.vault.items.create(newPerson(), delorean)
    expect(item).toMatchObject({ name: 'my_delorean', label: 'My DeLorean', template_name: 'vehicle', own: true, share_id: null })
    expect(item.slots?.map(s => [s.name, s.value])).toEqual([['make', 'DMC'], ['model', 'DMC-12'], ['licence_plate', 'OUTATIME'], ['vin', null], ['year', null]])
  })

  it('adds slot names the template lacks as extra slots', async () => {
    const item = await fx.vault.items.create(newPerson(), { ...delorean, slots: [{ name: 'flux_capacitor', label: 'Flux capacitor', value: '1.21 GW' }] })
    expect(item.slots?.at(-1)).toMatchObject({ name: 'flux_capacitor', label: 'Flux capacitor', slot_type_name: 'key_value', value: '1.21 GW' })
  })

  it('refuses a value that is not a string with a 422 naming the slot', async () => {
    await expect(fx.vault.items.create(newPerson(), { ...delorean, slots: [{ name: 'year', value: 1985 }] }))
      .rejects.toMatchObject({ code: 422, message: 'slot "year" value must be a string' })
  })

  it('from a template that does not exist is a 404', async () => {
    await expect(fx.vault.items.create(newPerson(), { ...delorean, template_name: 'spaceship' })).rejects.toMatchObject({ code: 404 })
  })

  it('stores no plaintext value and creates the DEK once even when jobs race', async () => {
    const alice = newPerson()
    await Promise.all([fx.vault.items.create(alice, delorean), fx.vault.items.create(alice, delorean)])
    const items = (await fx.vault.listItems(alice, {})).items
    for (const item of items) expect((await fx.vault.items.get(alice, item.id)).slots?.[2].value).toBe('OUTATIME')
    expect(await storedText(fx.store)).not.toMatch(/OUTATIME|DMC-12/)
  })
})

describe('an item of someone else', () => {
  it('is a 404 to read, change, remove a slot of or delete', async () => {
    const item = await fx.vault.items.create(newPerson(), delorean)
    const mallory = newPerson()
    await expect(fx.vault.items.get(mallory, item.id)).rejects.toMatchObject({ code: 404, message: 'item not found' })
    await expect(fx.vault.items.update(mallory, { item_id: item.id, label: 'mine' })).rejects.toMatchObject({ code: 404 })
    await expect(fx.vault.items.removeSlot(mallory, item.slots?.[0].id as string)).rejects.toMatchObject({ code: 404 })
    await expect(fx.vault.items.delete(mallory, item.id)).rejects.toMatchObject({ code: 404 })
  })
})

describe('updating an item', () => {
  it('sets values, adds slots and removes slots marked _destroy', async () => {
    const alice = newPerson()
    const item = await fx.vault.items.create(alice, delorean)
    const { item: changed, outstandingShareUpdates } = await fx.vault.items.update(alice, {
      item_id: item.id, label: 'Doc’s DeLorean', slots: [{ name: 'licence_plate', value: 'OUTATIME2' }, { name: 'colour', value: 'steel' }, { name: 'vin', _destroy: true }],
    })
    expect(changed.label).toBe('Doc’s DeLorean')
    expect(changed.slots?.map(s => [s.name, s.value])).toEqual([['make', 'DMC'], ['model', 'DMC-12'], ['licence_plate', 'OUTATIME2'], ['year', null], ['colour', 'steel']])
    expect(outstandingShareUpdates).toBe(0)
  })

  it('removes one slot by id', async () => {
    const alice = newPerson()
    const item = await fx.vault.items.create(alice, delorean)
    await fx.vault.items.removeSlot(alice, item.slots?.[0].id as string)
    expect((await fx.vault.items.get(alice, item.id)).slots?.map(s => s.name)).not.toContain('make')
  })
})

describe('listing items', () => {
  it('filters by template, label and ownership and pages with a cursor', async () => {
    const alice = newPerson()
    for (let i = 0; i < 5; i++) await fx.vault.items.create(alice, { ...delorean, label: `Car ${i}` })
    await fx.vault.items.create(alice, { template_name: 'pet', label: 'Einstein', slots: [{ name: 'species', value: 'dog' }] })
    expect((await fx.vault.listItems(alice, { template_name: 'pet' })).items.map(i => i.label)).toEqual(['Einstein'])
    expect((await fx.vault.listItems(alice, { label: 'EINST' })).items).toHaveLength(1)
    expect((await fx.vault.listItems(alice, { own: false })).items).toHaveLength(0)
    const first = await fx.vault.listItems(alice, { per_page: 4 })
    const second = await fx.vault.listItems(alice, { per_page: 4, next_page_after: first.next_page_after as string })
    expect(first.items).toHaveLength(4)
    expect([...first.items, ...second.items].map(i => i.label).sort()).toEqual(['Car 0', 'Car 1', 'Car 2', 'Car 3', 'Car 4', 'Einstein'])
    expect(second.next_page_after).toBeNull()
    expect((await fx.vault.listItems(newPerson(), {})).items).toEqual([])
  })
})
