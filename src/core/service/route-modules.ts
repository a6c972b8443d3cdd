// The HTTP route modules, in the order they are mounted.
import type { RouteModule } from '../http/create-app.js'
import { meshbluRoutes } from '../http/meshblu/meshblu-routes.js'
import { schemaRoutes } from '../http/schema-routes.js'
import { onboardingRoutes } from '../http/onboarding/onboarding-routes.js'
import { intercoopRoutes } from '../http/intercoop-routes.js'

export const routeModules: RouteModule[] = [
  intercoopRoutes, // first: it reads raw bodies, before any body parser
  schemaRoutes,
  meshbluRoutes,
  onboardingRoutes,
]
