// Starts one endo-vault instance: store, bus, service identity, broker (TCP + WebSocket), HTTP API.
// Tests call it with port 0 and a temporary data directory; `endo-vault start` with the environment.
import http from 'node:http'
import path from 'node:path'
import { createPublicKey } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { loadConfig, type Config, type ConfigOverrides } from '../config.js'
import { createLogger, type Logger } from '../log.js'
import { openStore, type Store } from '../store/database.js'
import { DeviceBus } from '../bus/device-bus.js'
import { createBroker, type Broker } from '../broker/create-broker.js'
import type { BrokerContext } from '../broker/broker-context.js'
import { createApp } from '../http/create-app.js'
import type { HttpContext } from '../http/http-context.js'
import { ensureServiceIdentity, loadOrCreatePepper, type ServiceIdentity } from './service-identity.js'
import { routeModules } from './route-modules.js'
import { createEndoService, type EndoService } from './endo-service.js'
import { openIntercoop } from './intercoop-identity.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'
import { opsRoutes } from '../http/ops-routes.js'
import type { ReadinessCheck } from '../http/readiness.js'
import { createServiceMetrics } from './metrics.js'
import { brokerReadiness, storeReadiness } from './readiness-checks.js'

export interface RunningService {
  config: Readonly<Config>
  logger: Logger
  store: Store
  bus: DeviceBus
  broker: Broker
  identity: ServiceIdentity
  endo: EndoService
  /** This instance as an intercoop entity (reloadPeers() after a change to the peers directory). */
  intercoop: IntercoopRuntime
  httpServer: http.Server
  mqttPort: number
  httpPort: number
  /** http://127.0.0.1:<port> when bound to loopback or all interfaces. */
  httpUrl: string
  close: () => Promise<void>
  /** What GET /readyz checks; cluster mode adds its own. */
  readinessChecks: ReadinessCheck[]
  /**
   * SIGTERM's first half (issue 20): /readyz answers 503 at once, no new MQTT connection is accepted and HTTP
   * requests other than /healthz, /readyz and /metrics get 503; resolves once the running jobs have finished, or
   * after config.drainTimeoutMs. close() then ends the MQTT sessions (clients reconnect elsewhere).
   */
  drain: () => Promise<void>
}

export interface StartOptions {
  logger?: Logger
  /** Job folders to load instead of src/jobs (tests use fixture jobs). */
  jobsDir?: string
}

function listen (server: http.Server | import('node:net').Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { server.off('error', reject); resolve((server.address() as AddressInfo).port) })
  })
}

export async function startService (overrides: ConfigOverrides = {}, options: StartOptions = {}): Promise<RunningService> {
  const config = loadConfig(overrides)
  const logger = options.logger ?? createLogger({ level: config.logLevel, maxStringChars: config.limits.clientStringMaxChars })
  const pepper = await loadOrCreatePepper(config.dataDir)
  const store = await openStore({ file: path.join(config.dataDir, 'endo-vault.db'), databaseUrl: config.databaseUrl })
  // cluster mode: rate windows and OAuth state in Redis, on their own connection (the cluster joins after the bus)
  // cluster mode's modules (ioredis, mqemitter-redis, aedes-persistence-redis) load only with REDIS_URL: tens of ms of every start otherwise
  const shared = config.redisUrl === '' ? undefined : (await import('./redis-shared-state.js')).openRedisSharedState(config.redisUrl, logger)
  const sharedState = shared?.state
  const bus = await DeviceBus.open(store, pepper, logger, config.limits, { sharedState })
  const identity = await ensureServiceIdentity(bus, config.dataDir, pepper, { hostname: 'localhost', port: config.httpPort, mqttPort: config.mqttPort })
  const publicKeyPem = createPublicKey(identity.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString()

  const intercoop = await openIntercoop({ config, store, logger, serviceUuid: identity.uuid })
  const endo = await createEndoService({ bus, store, config, logger, identity, intercoop, jobsDir: options.jobsDir, sharedState })

  const brokerContext: BrokerContext = { bus, logger, limits: config.limits, extraAuthenticators: [] }
  brokerContext.extraAuthenticators.push(endo.services.acl.mqttAuthenticator) // API tokens log in read-only (issue 8)
  const cluster = config.redisUrl === '' ? undefined : await (await import('./cluster.js')).joinCluster(config.redisUrl, bus, logger)
  const broker = await createBroker(brokerContext, { drainTimeout: config.limits.drainTimeout, cluster })
  const httpContext: HttpContext = {
    bus, config, publicKeyPem, logger, intercoop, sharedState,
    catalog: endo.catalog, onboarding: endo.onboarding, credentials: endo.credentials, oauthProvider: endo.oauthProvider, acl: endo.services.acl,
  }
  // operability (issue 20): /healthz, /readyz, /metrics, and the drain they report
  let draining: Promise<void> | undefined
  const isDraining = (): boolean => draining !== undefined
  const readinessChecks: ReadinessCheck[] = [storeReadiness(store), brokerReadiness(broker, isDraining)]
  if (cluster !== undefined) readinessChecks.push({ name: 'redis', check: cluster.ping })
  const metrics = createServiceMetrics({ bus, broker, store, runner: endo.runner, tokenRefresher: endo.tokenRefresher })
  const ops = opsRoutes({ readinessChecks, metrics, metricsToken: config.metricsToken, draining: isDraining })
  const app = createApp(httpContext, [ops, ...routeModules])
  const httpServer = http.createServer({ noDelay: true }, app)
  const webSocket = broker.attachWebSocket(httpServer, '/mqtt')

  const mqttPort = await listen(broker.tcp, config.mqttPort, config.host)
  const httpPort = await listen(httpServer, config.httpPort, config.host)
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  const httpUrl = `http://${shownHost}:${httpPort}`
  if (config.serviceUrl === '') intercoop.useFallbackTargetUrl(`${httpUrl}/intercoop`)

  let closed = false
  return {
    config, logger, store, bus, broker, identity, endo, intercoop, httpServer, mqttPort, httpPort, httpUrl,
    readinessChecks,
    async drain () {
      draining ??= (async () => {
        broker.tcp.close() // listening stops; open connections stay
        webSocket.close() // upgrades to /mqtt then reach the HTTP routes, which refuse them while draining
        const waited = performance.now()
        const finished = await endo.runner.idle(config.drainTimeoutMs)
        logger.info({ event: 'service.drained', jobsFinished: finished, jobsRunning: endo.runner.inFlight, waitedMs: Math.round(performance.now() - waited) }, 'drained')
      })()
      await draining
    },
    async close () {
      if (closed) return
      closed = true
      await endo.runner.close(draining === undefined ? Infinity : 0) // a drain has waited for the jobs already
      endo.services.acl.close()
      await endo.services.vault.close()
      await broker.close()
      await cluster?.close()
      httpServer.closeAllConnections()
      await new Promise<void>(resolve => httpServer.close(() => resolve()))
      shared?.close()
      await store.destroy()
    },
  }
}
