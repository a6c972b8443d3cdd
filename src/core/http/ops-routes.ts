// The operator's routes (issue 20, "Operability"), mounted before every other route module:
// GET /healthz (the process runs), GET /readyz (store, broker… usable: load balancers), GET /metrics (Prometheus
// text; loopback only, or with the configured bearer token from anywhere; others get the 404 of an unknown
// route). While the instance drains, these still answer (/readyz with 503) and every other request is refused
// with 503 on a connection that is then closed, so clients and load balancers move to another instance.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Request } from 'express'
import type { RouteModule } from './create-app.js'
import { readinessOf, type ReadinessCheck } from './readiness.js'

export interface OpsEndpoints {
  /** The service's list: the lead instance may push more (redis in cluster mode). */
  readinessChecks: readonly ReadinessCheck[]
  metrics: { scrape: () => Promise<{ contentType: string, text: string }> }
  /** config.metricsToken: empty for loopback-only access. */
  metricsToken: string
  draining: () => boolean
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

/** Equal tokens, compared in constant time (digests first, so the lengths tell nothing either). */
function sameToken (given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}

function isLoopback (address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address))
}

function mayReadMetrics (req: Request, token: string): boolean {
  if (token === '') return isLoopback(req.socket.remoteAddress)
  const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1]
  return given !== undefined && sameToken(given, token)
}

export function opsRoutes (ops: OpsEndpoints): RouteModule {
  return (app, ctx) => {
    app.use((_req, res, next) => {
      if (ops.draining()) res.set('Connection', 'close')
      next()
    })
    app.get('/healthz', (_req, res) => {
      res.set('Cache-Control', 'no-store').json({ status: 'ok' })
    })
    app.get('/readyz', async (_req, res) => {
      const readiness = await readinessOf(ops.readinessChecks, (name, error) => {
        ctx.logger.warn({ err: error, check: name, event: 'readiness.failed' }, 'a readiness check failed')
      })
      res.set('Cache-Control', 'no-store').status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ok' : 'unavailable', checks: readiness.checks })
    })
    app.get('/metrics', async (req, res) => {
      // the same answer as a route that does not exist: nothing tells a stranger that metrics are here
      if (!mayReadMetrics(req, ops.metricsToken)) return res.status(404).json({ error: `no route for ${req.method} ${req.path}` })
      const { contentType, text } = await ops.metrics.scrape()
      res.set('Cache-Control', 'no-store').type(contentType).send(text)
    })
    app.use((_req, res, next) => {
      if (!ops.draining()) return next()
      res.status(503).json({ error: 'This instance is shutting down: connect to another one' })
    })
  }
}
