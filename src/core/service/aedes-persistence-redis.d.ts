// aedes-persistence-redis ships no types: what cluster.ts uses of it (its persistence follows aedes-persistence's
// interface, which aedes takes as an option; `destroy` closes its Redis connections).
declare module 'aedes-persistence-redis' {
  import type { Redis } from 'ioredis'
  interface RedisPersistence {
    destroy: (callback?: () => void) => void
  }
  function aedesPersistenceRedis (options: { conn: Redis, maxSessionDelivery?: number }): RedisPersistence
  export default aedesPersistenceRedis
}
