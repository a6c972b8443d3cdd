// RemoveSlot: removes one slot of the person's own item, by slot id.
import { DELOREAN, failing, invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()
let item: { id: string, slots: Array<{ id: string, name: string }> }

beforeAll(async () => { item = (await job(await suite.person('alice'), 'CreateItem', DELOREAN, 201)).item })

describe('RemoveSlot', () => {
  it('removes the slot and GetItem no longer shows it', async () => {
    const alice = await suite.person('alice')
    const flux = item.slots.find(s => s.name === 'flux_capacitor') as { id: string }
    expect(await job(alice, 'RemoveSlot', { slot_id: flux.id })).toEqual({ item_id: item.id, outstanding_share_updates: 0 })
    const read = await job(alice, 'GetItem', { item_id: item.id })
    expect(read.item.slots.map((s: { name: string }) => s.name)).toEqual(['make', 'model', 'licence_plate', 'vin', 'year'])
  })

  it('answers a removed slot, or someone else\'s, as not found (404)', async () => {
    const flux = item.slots.find(s => s.name === 'flux_capacitor') as { id: string }
    expect(await failing(await suite.person('alice'), 'RemoveSlot', { slot_id: flux.id })).toEqual({ code: 404, message: 'slot not found' })
    expect(await failing(await suite.person('biff'), 'RemoveSlot', { slot_id: item.slots[0].id })).toEqual({ code: 404, message: 'slot not found' })
  })

  it('refuses a message without a slot id, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'RemoveSlot', {})).toEqual(['message.data.slot_id is required'])
  })
})
