// A request's PUBACK and the reply its job sends back on the same connection leave in one write.
// aedes writes the PUBACK while the request is read, but delivers every publication from a setImmediate, so
// the reply to a job that answers at once goes out in the check phase of the same loop turn: two writev calls
// per request, and on loopback each is ~20 µs of kernel time, as much as the rest of the job. The connection
// is corked when a request arrives and uncorked from an immediate queued once the request's promise jobs and
// the ticks before it have run, i.e. behind the reply's own immediate: both packets leave in one writev. A
// slower reply (I/O, timers) goes out on its own as before. Nothing waits on a timer or for a later turn.
import type { Client } from 'aedes'

interface Corkable { cork?: () => void, uncork?: () => void }

export function holdWritesForRequest (client: Client): void {
  const conn = client.conn as Corkable
  if (typeof conn.cork !== 'function') return
  conn.cork()
  void Promise.resolve(conn).then(afterPromiseJobs)
}

// Module functions, not closures per request (tsx keepNames makes each named closure cost a defineProperty).
// A tick queued from a microtask runs once the microtask queue has drained.
function afterPromiseJobs (conn: Corkable): void {
  process.nextTick(uncorkInCheckPhase, conn)
}

function uncorkInCheckPhase (conn: Corkable): void {
  setImmediate(uncork, conn)
}

function uncork (conn: Corkable): void {
  conn.uncork?.()
}
