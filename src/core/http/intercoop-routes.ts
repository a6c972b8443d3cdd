// The intercoop target API (reference intercoop-auroral §A3) at /intercoop: protocolVersion,
// activateService, the single-use data endpoint, withdrawConsent and our served descriptor.
// Mounted first: it reads raw bodies whatever their Content-Type (the Python client sends none),
// so no app-wide JSON parser may consume them before it. Its answers are YAML, errors included.
import type { Express } from 'express'
import type { HttpContext } from './http-context.js'

export const INTERCOOP_MOUNT_PATH = '/intercoop'

export function intercoopRoutes (app: Express, ctx: HttpContext): void {
  app.use(INTERCOOP_MOUNT_PATH, ctx.intercoop.handler)
}
