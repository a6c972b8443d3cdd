// A route is the list of hops a delivery took (meshblu-endo §2.2).
export interface Hop { from: string, to: string, type: string }
export type Route = readonly Hop[]

export function hasHop (route: Route, hop: Hop): boolean {
  for (const h of route) if (h.from === hop.from && h.to === hop.to && h.type === hop.type) return true
  return false
}

/** Every hop went to `uuid` as `type`: the delivery reached it directly. */
export function isDirectTo (route: Route, uuid: string, type: string): boolean {
  for (const hop of route) if (hop.to !== uuid || hop.type !== type) return false
  return true
}

export function isSelfHop (hop: Hop | undefined, type: string): boolean {
  return hop !== undefined && hop.from === hop.to && hop.type === type
}
