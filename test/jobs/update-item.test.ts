// UpdateItem: sets, adds and removes (_destroy) slots of the person's own item and changes its label; shares
// wait for PushItemUpdates (push-item-updates.test.ts).
import { DELOREAN, failing, invalidMessage, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()
let itemId: string

beforeAll(async () => { itemId = (await job(await suite.person('alice'), 'CreateItem', DELOREAN, 201)).item.id })

describe('UpdateItem', () => {
  it('sets a value, adds a slot, removes one and relabels, and GetItem reads the change', async () => {
    const alice = await suite.person('alice')
    const changed = await job(alice, 'UpdateItem', {
      item_id: itemId, label: 'DeLorean (1985)',
      slots: [{ name: 'licence_plate', value: 'OUTATIME-1985' }, { name: 'hover_conversion', label: 'Hover conversion', value: 'yes' }, { name: 'flux_capacitor', _destroy: true }],
    })
    expect(changed).toMatchObject({ item: { id: itemId, label: 'DeLorean (1985)' }, outstanding_share_updates: 0 })
    const expected = { make: 'DeLorean Motor Company', model: 'DMC-12 time machine', licence_plate: 'OUTATIME-1985', year: '1981', hover_conversion: 'yes' }
    expect(valuesOf(changed.item)).toEqual(expected)
    const { item } = await job(alice, 'GetItem', { item_id: itemId })
    expect(valuesOf(item)).toEqual(expected)
    expect(item.slots.find((s: { name: string }) => s.name === 'hover_conversion')).toMatchObject({ label: 'Hover conversion', slot_type_name: 'key_value' })
  })

  it('refuses to remove a slot the item lacks (404)', async () => {
    expect(await failing(await suite.person('alice'), 'UpdateItem', { item_id: itemId, slots: [{ name: 'time_circuits', _destroy: true }] }))
      .toEqual({ code: 404, message: 'slot "time_circuits" not found' })
  })

  it('answers someone else\'s item as not found (404)', async () => {
    expect(await failing(await suite.person('biff'), 'UpdateItem', { item_id: itemId, label: 'Mine now' })).toEqual({ code: 404, message: 'item not found' })
  })

  it('refuses an empty label, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'UpdateItem', { item_id: itemId, label: '' })).toEqual(['message.data.label must have at least 1 character'])
  })
})
