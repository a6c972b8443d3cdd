// The Meshblu REST API (meshblu-endo §3), as the npm meshblu-http 10.2 client calls it.
import express, { type Express } from 'express'
import type { HttpContext } from '../http-context.js'

export function meshbluRoutes (app: Express, ctx: HttpContext): void {
  const router = express.Router()
  router.get('/status', (_req, res) => { res.json({ meshblu: 'online' }) })
  router.get('/publickey', (_req, res) => { res.json({ publicKey: ctx.publicKeyPem }) })
  app.use(router)
}
