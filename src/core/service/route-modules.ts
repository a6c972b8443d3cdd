// The HTTP route modules, in the order they are mounted.
import type { RouteModule } from '../http/create-app.js'
import { meshbluRoutes } from '../http/meshblu/meshblu-routes.js'
import { schemaRoutes } from '../http/schema-routes.js'
import { onboardingRoutes } from '../http/onboarding/onboarding-routes.js'
import { intercoopRoutes } from '../http/intercoop-routes.js'
import { externalApiRoutes } from '../http/acl/external-api-routes.js'

export const routeModules: RouteModule[] = [
  intercoopRoutes, // first: it reads raw bodies, before any body parser
  externalApiRoutes, // /api/external/v1: API tokens for third-party services (issue 8)
  schemaRoutes,
  meshbluRoutes,
  onboardingRoutes,
]
