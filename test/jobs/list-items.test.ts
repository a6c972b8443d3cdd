// ListItems: the person's items without their values, oldest first, filtered and a page at a time.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService()

beforeAll(async () => {
  const alice = await suite.person('alice')
  for (const [template, label] of [['vehicle', 'DeLorean'], ['pet', 'Einstein'], ['vehicle', 'Manure truck']]) {
    await job(alice, 'CreateItem', { template_name: template, label, slots: [{ name: template === 'pet' ? 'species' : 'make', value: 'secret value' }] }, 201)
  }
})

describe('ListItems', () => {
  it('lists the items oldest first, without slots or values', async () => {
    const { items, next_page_after: next } = await job(await suite.person('alice'), 'ListItems', {})
    expect(items.map((i: { label: string }) => i.label)).toEqual(['DeLorean', 'Einstein', 'Manure truck'])
    expect(items[0]).toEqual({ id: expect.any(String), name: 'delorean', label: 'DeLorean', template_name: 'vehicle', own: true, share_id: null, created_at: expect.any(String), updated_at: expect.any(String) })
    expect(next).toBeNull()
  })

  it('filters by template and by label text in any case', async () => {
    const alice = await suite.person('alice')
    expect((await job(alice, 'ListItems', { template_name: 'vehicle' })).items.map((i: { label: string }) => i.label)).toEqual(['DeLorean', 'Manure truck'])
    expect((await job(alice, 'ListItems', { label: 'TRUCK' })).items.map((i: { label: string }) => i.label)).toEqual(['Manure truck'])
    expect((await job(alice, 'ListItems', { own: false })).items).toEqual([])
  })

  it('pages with next_page_after until the last page', async () => {
    const alice = await suite.person('alice')
    const first = await job(alice, 'ListItems', { per_page: 2 })
    expect(first.items.map((i: { label: string }) => i.label)).toEqual(['DeLorean', 'Einstein'])
    const second = await job(alice, 'ListItems', { per_page: 2, next_page_after: first.next_page_after })
    expect(second).toEqual({ items: [expect.objectContaining({ label: 'Manure truck' })], next_page_after: null })
  })

  it('shows no one else\'s items', async () => {
    expect((await job(await suite.person('biff'), 'ListItems', {})).items).toEqual([])
  })

  it('refuses a next_page_after it did not give out (400)', async () => {
    expect(await failing(await suite.person('alice'), 'ListItems', { next_page_after: 'the-future' }))
      .toEqual({ code: 400, message: 'next_page_after is not a cursor this service gave out' })
  })
})
