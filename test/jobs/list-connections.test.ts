// ListConnections: the person's connections, oldest first, with the names they gave them.
import { connectPeople, invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()

describe('ListConnections', () => {
  it('lists each connection under the name its holder gave, and no one else\'s', async () => {
    const [alice, bob, carol] = [await suite.person('alice'), await suite.person('bob'), await suite.person('carol')]
    const { inviterConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
    await connectPeople(alice, 'Carol', carol, 'Alice')
    const { connections } = await job(alice, 'ListConnections', {})
    expect(connections).toEqual([
      { id: inviterConnection, name: 'Bob', connection_type: null, integration_data: null, created_at: expect.any(String) },
      expect.objectContaining({ name: 'Carol' }),
    ])
    expect((await job(bob, 'ListConnections', {})).connections.map((c: { name: string }) => c.name)).toEqual(['Alice'])
    expect((await job(await suite.person('biff'), 'ListConnections', {})).connections).toEqual([])
  })

  it('refuses a field it does not have, naming it (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'ListConnections', { name: 'Bob' })).toEqual(['message.data has an unknown field "name"'])
  })
})
