// Baseline broker for the bench: a bare aedes with TCP_NODELAY on its listener and no hooks, in its own
// process, on 127.0.0.1 with port 0. Tells the driver its port in the `ready` event; answers `sample` and the
// event-loop delay commands (the same histogram as the service's, for comparison). It runs with the service's
// GC profile (GC_PROFILE, else auto), so the baseline gets whatever the runtime setting gives the service.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { Aedes } from 'aedes'
import { applyGcProfileOfEnvironment } from '../src/core/service/gc-profile.js'
import { loopDelayCommands, sendEvent, serveCommands } from './ipc-commands.js'

const gc = applyGcProfileOfEnvironment()

const aedes = await Aedes.createBroker({})
const tcp = net.createServer({ noDelay: true }, socket => aedes.handle(socket))
await new Promise<void>(resolve => tcp.listen(0, '127.0.0.1', () => resolve()))

serveCommands({
  ...loopDelayCommands(10),
  async stop () {
    await new Promise<void>(resolve => aedes.close(() => resolve()))
    await new Promise<void>(resolve => tcp.close(() => resolve()))
    setImmediate(() => process.exit(0))
  },
})
sendEvent({ event: 'ready', info: { mqttPort: (tcp.address() as AddressInfo).port, gc } })
