// The onboarding route module: /credentials/:uuid management always (credentials devices also come
// from other onboarding paths), the OAuth routes only when config.oauth.authorizationUrl is set.
import express, { type Express } from 'express'
import type { HttpContext } from '../http-context.js'
import { credentialsRoutes } from './credentials-routes.js'
import { oauthRoutes } from './oauth-routes.js'

export function onboardingRoutes (app: Express, ctx: HttpContext): void {
  const router = express.Router()
  credentialsRoutes(router, ctx)
  const provider = ctx.oauthProvider
  if (provider !== undefined) oauthRoutes(router, ctx, provider)
  app.use(router)
}
