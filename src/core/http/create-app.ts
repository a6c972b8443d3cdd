// The express app: body limits, the route modules in order, and one error handler that turns any
// error into its wire form (exposed errors keep code and message; the rest are a logged 500).
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import { publicError } from '../errors.js'
import type { HttpContext } from './http-context.js'
import { bodyRefusal } from './json-body.js'

export type RouteModule = (app: Express, ctx: HttpContext) => void

export function createApp (ctx: HttpContext, modules: RouteModule[]): Express {
  const app = express()
  app.disable('x-powered-by')
  // qs, with express's options: nesting cut at depth 5 (deeper brackets stay part of the key), at most
  // 1000 parameters, array indices over 20 as keys, no __proto__; the URL itself is under Node's 16 KB
  // header limit. Routes accept plain values only (meshblu-query.ts): nested ones are a 422.
  app.set('query parser', 'extended')
  for (const mount of modules) mount(app, ctx)
  app.use((req: Request, res: Response) => { res.status(404).json({ error: `no route for ${req.method} ${req.path}` }) })
  app.use((error: any, req: Request, res: Response, _next: NextFunction) => {
    if (error?.type === 'entity.too.large') return res.status(413).json({ error: `Payload too large: the limit is ${ctx.config.limits.maxPayloadBytes} bytes` })
    if (error?.type === 'entity.parse.failed') return res.status(400).json({ error: 'Invalid JSON body' })
    // the rest of body-parser's refusals: too deep JSON (422, json-body.ts), an unsupported charset (415)…
    const refusal = bodyRefusal(error)
    if (refusal !== undefined) return res.status(refusal.code).json({ error: refusal.message })
    const wire = publicError(error)
    if (wire.code >= 500) ctx.logger.error({ err: error, method: req.method, path: req.path }, 'request failed')
    if (wire.code === 429 && typeof error.retryAfterSeconds === 'number') res.set('Retry-After', String(error.retryAfterSeconds))
    res.status(wire.code).json({ error: wire.message, ...(wire.details !== undefined && typeof wire.details === 'object' ? { details: wire.details } : {}) })
  })
  return app
}
