// GetItem: one of the person's items, decrypted. A received copy is verified too (get-incoming-share.test.ts).
import { randomUUID } from 'node:crypto'
import { DELOREAN, failing, invalidMessage, job, valuesOf, withService } from './support/job-harness.js'

const suite = withService()
let itemId: string

beforeAll(async () => { itemId = (await job(await suite.person('alice'), 'CreateItem', DELOREAN, 201)).item.id })

describe('GetItem', () => {
  it('reads the person\'s item with its values decrypted', async () => {
    const { item } = await job(await suite.person('alice'), 'GetItem', { item_id: itemId })
    expect(item).toMatchObject({ id: itemId, label: 'DeLorean', own: true })
    expect(valuesOf(item)).toEqual(Object.fromEntries(DELOREAN.slots.map(slot => [slot.name, slot.value])))
  })

  it('answers someone else\'s item exactly as one that does not exist (404)', async () => {
    const biff = await suite.person('biff')
    expect(await failing(biff, 'GetItem', { item_id: itemId })).toEqual({ code: 404, message: 'item not found' })
    expect(await failing(biff, 'GetItem', { item_id: randomUUID() })).toEqual({ code: 404, message: 'item not found' })
  })

  it('refuses an item id that is not a uuid, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'GetItem', { item_id: 'OUTATIME' })).toEqual(['message.data.item_id must be a valid uuid'])
  })
})
