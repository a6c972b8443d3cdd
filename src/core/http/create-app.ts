// The express app: body limits, the route modules in order, and one error handler that turns any
// error into its wire form (exposed errors keep code and message; the rest are a logged 500).
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import { publicError } from '../errors.js'
import type { HttpContext } from './http-context.js'

export type RouteModule = (app: Express, ctx: HttpContext) => void

export function createApp (ctx: HttpContext, modules: RouteModule[]): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'extended')
  for (const mount of modules) mount(app, ctx)
  app.use((req: Request, res: Response) => { res.status(404).json({ error: `no route for ${req.method} ${req.path}` }) })
  app.use((error: any, req: Request, res: Response, _next: NextFunction) => {
    if (error?.type === 'entity.too.large') return res.status(413).json({ error: `Payload too large: the limit is ${ctx.config.limits.maxPayloadBytes} bytes` })
    if (error?.type === 'entity.parse.failed') return res.status(400).json({ error: 'Invalid JSON body' })
    const wire = publicError(error)
    if (wire.code >= 500) ctx.logger.error({ err: error, method: req.method, path: req.path }, 'request failed')
    if (wire.code === 429 && typeof error.retryAfterSeconds === 'number') res.set('Retry-After', String(error.retryAfterSeconds))
    res.status(wire.code).json({ error: wire.message, ...(wire.details !== undefined && typeof wire.details === 'object' ? { details: wire.details } : {}) })
  })
  return app
}
