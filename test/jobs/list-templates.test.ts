// ListTemplates: the system templates every vault starts with, then the person's own, each by name.
import { invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()

describe('ListTemplates', () => {
  it('lists the system templates first, then the person\'s own', async () => {
    const alice = await suite.person('alice')
    await job(alice, 'CreateTemplate', { label: 'Time circuits', slots: [{ name: 'destination_time' }] }, 201)
    const { templates } = await job(alice, 'ListTemplates', {})
    expect(templates.map((t: { name: string }) => t.name)).toEqual(['custom', 'passport_details', 'password', 'pet', 'travel', 'vehicle', 'time_circuits'])
    expect(templates.find((t: { name: string }) => t.name === 'vehicle')).toMatchObject({ system: true, label: 'Vehicle', description: 'A car, motorbike or other vehicle' })
    expect(templates.at(-1)).toMatchObject({ system: false, label: 'Time circuits', slots: [{ name: 'destination_time', label: 'destination_time', slot_type_name: 'key_value' }] })
  })

  it('never shows someone else\'s templates', async () => {
    const { templates } = await job(await suite.person('bob'), 'ListTemplates', {})
    expect(templates.every((t: { system: boolean }) => t.system)).toBe(true)
  })

  it('refuses a field it does not have, naming it (422)', async () => {
    expect(await invalidMessage(await suite.person('bob'), 'ListTemplates', { system: true })).toEqual(['message.data has an unknown field "system"'])
  })
})
