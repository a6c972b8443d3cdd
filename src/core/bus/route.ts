// A route is the list of hops a delivery took (meshblu-endo §2.2).
export interface Hop { from: string, to: string, type: string }
export type Route = readonly Hop[]

export function hasHop (route: Route, hop: Hop): boolean {
  return route.some(h => h.from === hop.from && h.to === hop.to && h.type === hop.type)
}

export function isSelfHop (hop: Hop | undefined, type: string): boolean {
  return hop !== undefined && hop.from === hop.to && hop.type === type
}
