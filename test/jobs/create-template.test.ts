// CreateTemplate: a template of the person's own, named from its label unless named; 409 when the name is taken.
import { failing, invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()

describe('CreateTemplate', () => {
  it('creates a template named from its label, slots key_value unless typed, and items can be made from it', async () => {
    const alice = await suite.person('alice')
    const { template } = await job(alice, 'CreateTemplate', {
      label: 'Flux capacitor', description: 'What makes time travel possible', slots: [{ label: 'Power needed' }, { name: 'serviced_on', slot_type_name: 'date' }],
    }, 201)
    expect(template).toEqual({
      id: expect.any(String), name: 'flux_capacitor', label: 'Flux capacitor', description: 'What makes time travel possible', system: false,
      slots: [{ name: 'power_needed', label: 'Power needed', slot_type_name: 'key_value' }, { name: 'serviced_on', label: 'serviced_on', slot_type_name: 'date' }],
    })
    const { item } = await job(alice, 'CreateItem', { template_name: 'flux_capacitor', label: 'Mr. Fusion', slots: [{ name: 'power_needed', value: '1.21 gigawatts' }] }, 201)
    expect(item.slots.map((s: { name: string, value: string | null }) => [s.name, s.value])).toEqual([['power_needed', '1.21 gigawatts'], ['serviced_on', null]])
  })

  it('refuses a name the person or the system already uses (409)', async () => {
    const alice = await suite.person('alice')
    expect(await failing(alice, 'CreateTemplate', { label: 'Flux capacitor' })).toEqual({ code: 409, message: 'a template with this name already exists' })
    expect(await failing(alice, 'CreateTemplate', { label: 'My car', name: 'vehicle' })).toEqual({ code: 409, message: 'a template with this name already exists' })
  })

  it('refuses a slot named twice (422)', async () => {
    expect(await failing(await suite.person('alice'), 'CreateTemplate', { label: 'Twice', slots: [{ name: 'year' }, { label: 'Year' }] }))
      .toEqual({ code: 422, message: 'slot "year" appears twice' })
  })

  it('refuses a message without a label, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'CreateTemplate', { name: 'nameless' })).toEqual(['message.data.label is required'])
  })
})
