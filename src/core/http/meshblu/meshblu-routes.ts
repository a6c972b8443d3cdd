// The Meshblu REST API (meshblu-endo §3), as the npm meshblu-http 10.2 client calls it.
// One file per concept; each endpoint authenticates, parses and answers through MeshbluEndpoints.
import express, { type Express } from 'express'
import type { HttpContext } from '../http-context.js'
import { MeshbluEndpoints } from './meshblu-endpoint.js'
import { statusRoutes } from './status-routes.js'
import { deviceRoutes } from './device-routes.js'
import { searchRoutes } from './search-routes.js'
import { tokenRoutes } from './token-routes.js'
import { subscriptionRoutes } from './subscription-routes.js'
import { messageRoutes } from './message-routes.js'

const ROUTE_GROUPS = [statusRoutes, deviceRoutes, searchRoutes, tokenRoutes, subscriptionRoutes, messageRoutes]

export function meshbluRoutes (app: Express, ctx: HttpContext): void {
  const router = express.Router()
  const endpoints = new MeshbluEndpoints(ctx)
  for (const mount of ROUTE_GROUPS) mount(router, ctx, endpoints)
  app.use(router)
}
