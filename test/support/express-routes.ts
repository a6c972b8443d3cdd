// Every route mounted in an express 5 app, read from its router stack (so fuzzing covers new routes).
export interface MountedRoute { method: string, path: string }

function walk (stack: any[], prefix: string, into: MountedRoute[]): void {
  for (const layer of stack ?? []) {
    if (layer.route !== undefined) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
      for (const p of paths) for (const method of Object.keys(layer.route.methods)) if (method !== '_all') into.push({ method: method.toUpperCase(), path: prefix + String(p) })
    } else if (layer.handle?.stack !== undefined) {
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : typeof layer.path === 'string' ? layer.path : ''
      walk(layer.handle.stack, prefix + (mount === '/' ? '' : mount), into)
    }
  }
}

export function mountedRoutes (app: any): MountedRoute[] {
  const routes: MountedRoute[] = []
  walk(app.router?.stack ?? app._router?.stack, '', routes)
  return routes
}
