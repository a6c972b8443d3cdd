// The HTTP route modules, in the order they are mounted.
import type { RouteModule } from '../http/create-app.js'
import { meshbluRoutes } from '../http/meshblu/meshblu-routes.js'
import { schemaRoutes } from '../http/schema-routes.js'

export const routeModules: RouteModule[] = [
  schemaRoutes,
  meshbluRoutes,
]
