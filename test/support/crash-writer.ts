// Child process for the crash-durability test: starts the service on DATA_DIR and writes as fast as
// it can, printing one JSON line per write only after the write was acknowledged (awaited).
import { startService } from '../../src/core/service/start-service.js'
import { createLogger } from '../../src/core/log.js'

const service = await startService({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, logLevel: 'silent' }, { logger: createLogger({ level: 'silent' }) })
process.stdout.write(JSON.stringify({ ready: true }) + '\n')
const watcher = (await service.bus.register({ type: 'watcher' }))
for (;;) {
  const { device, token } = await service.bus.register({ type: 'crash-test', payload: 'x'.repeat(200) })
  await service.bus.createSubscription({ uuid: device.uuid }, { subscriberUuid: device.uuid, emitterUuid: watcher.device.uuid, type: 'broadcast.sent' })
  const session = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, { tag: 'crash' })
  await service.bus.update({ uuid: device.uuid }, device.uuid, { $set: { written: true } })
  process.stdout.write(JSON.stringify({ uuid: device.uuid, token, sessionToken: session.token, watcher: watcher.device.uuid }) + '\n')
}
