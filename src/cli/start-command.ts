// `endo-vault start`: runs the service until SIGINT/SIGTERM. SIGTERM (what orchestrators send) drains first:
// /readyz turns 503, no new connections, running jobs finish (up to DRAIN_TIMEOUT_MS); SIGINT closes at once.
import { startService } from '../core/service/start-service.js'
import { applyGcProfile } from '../core/service/gc-profile.js'

export async function startCommand (): Promise<void> {
  const service = await startService()
  const gc = applyGcProfile(service.config.gcProfile)
  const host = service.config.host
  let stopping: string | undefined
  const stop = (signal: string): void => {
    // a SIGINT during a drain closes at once
    if (stopping !== undefined && !(stopping === 'SIGTERM' && signal === 'SIGINT')) return
    stopping = signal
    service.logger.info({ signal }, 'endo-vault stopping')
    const drained = signal === 'SIGTERM' ? service.drain() : Promise.resolve()
    drained.then(async () => { await service.close() }).then(() => process.exit(0), error => { service.logger.error({ err: error }, 'close failed'); process.exit(1) })
  }
  // A promise nobody awaited that failed is a bug to log, not a reason to drop every connected device;
  // a thrown exception still ends the process (its state is unknown then).
  process.on('unhandledRejection', reason => { service.logger.error({ err: reason, event: 'unhandled_rejection' }, 'a promise failed unhandled') })
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
  // SIGHUP reads the intercoop peers directory again; a bad descriptor keeps the peers loaded before
  process.on('SIGHUP', () => {
    service.intercoop.reloadPeers().catch(error => { service.logger.error({ err: error, event: 'intercoop.peers.reload_failed' }, 'intercoop peers not reloaded') })
  })
  // last, so whoever waits for this line can signal the process at once
  service.logger.info({ gcProfile: gc.profile, v8Flags: gc.flags }, `endo-vault listening: mqtt://${host}:${service.mqttPort} http://${host}:${service.httpPort} ws://${host}:${service.httpPort}/mqtt (data in ${service.config.dataDir})`)
}
