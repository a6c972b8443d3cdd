// The readiness checks of one instance (GET /readyz): the store answers a trivial query, and the broker takes
// connections (it is neither draining nor closed). Cluster mode adds Redis to the same list.
import { sql } from 'kysely'
import type { Broker } from '../broker/create-broker.js'
import { NotReady, type ReadinessCheck } from '../http/readiness.js'
import type { Store } from '../store/database.js'

export function storeReadiness (store: Store): ReadinessCheck {
  return { name: 'store', check: async () => { await sql`select 1`.execute(store) } }
}

export function brokerReadiness (broker: Broker, draining: () => boolean): ReadinessCheck {
  return {
    name: 'broker',
    async check () {
      if (draining()) throw new NotReady('draining')
      if (broker.aedes.closed || !broker.tcp.listening) throw new NotReady('closed')
    },
  }
}
