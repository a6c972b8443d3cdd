// CreateItem: an item from a template, its values encrypted with the person's key; names the template lacks
// become extra slots. test/e2e/vault-walkthrough.test.ts and vault-bad-input.test.ts follow items further.
import { DELOREAN, failing, invalidMessage, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()

describe('CreateItem', () => {
  it('creates the item with the template\'s slots in order, given values set, and an extra slot for an unknown name', async () => {
    const { item } = await job(await suite.person('alice'), 'CreateItem', DELOREAN, 201)
    expect(item).toMatchObject({ id: expect.any(String), name: 'delorean', label: 'DeLorean', template_name: 'vehicle', own: true, share_id: null })
    expect(item.slots.map((s: { name: string }) => s.name)).toEqual(['make', 'model', 'licence_plate', 'vin', 'year', 'flux_capacitor'])
    expect(item.slots.at(-1)).toMatchObject({ label: 'Flux capacitor', slot_type_name: 'key_value', ordinal: 5, value: 'needs 1.21 gigawatts' })
    expect(valuesOf(item)).toEqual(Object.fromEntries(DELOREAN.slots.map(slot => [slot.name, slot.value])))
  })

  it('refuses a template that does not exist (404)', async () => {
    expect(await failing(await suite.person('alice'), 'CreateItem', { template_name: 'time_machine', label: 'DeLorean' }))
      .toEqual({ code: 404, message: 'template not found' })
  })

  it('refuses a slot value that is not a string, naming the slot (422)', async () => {
    expect(await failing(await suite.person('alice'), 'CreateItem', { ...DELOREAN, slots: [{ name: 'year', value: 1985 }] }))
      .toEqual({ code: 422, message: 'slot "year" value must be a string' })
  })

  it('refuses a message without a label, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'CreateItem', { template_name: 'vehicle' })).toEqual(['message.data.label is required'])
  })
})
