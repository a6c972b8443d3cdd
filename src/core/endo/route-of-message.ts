// meshblu-endo §5.5 step 1: who sent the job (F), through which user device (U) and credentials device (C).
import { UserError, ErrorText } from '../errors.js'
import type { Route } from '../bus/route.js'
import type { JobParties } from '../job-context.js'

export class BadRoute extends UserError {
  constructor () { super(422, ErrorText.badRoute) }
}

export function routeOfMessage (route: Route, serviceUuid: string): JobParties {
  const [firstHop] = route
  if (firstHop === undefined) throw new BadRoute()
  const senderUuid = firstHop.from
  const hops = route.filter(hop => hop.from !== serviceUuid && hop.to !== serviceUuid)
  const credentialsUuid = hops[hops.length - 1]?.to
  if (credentialsUuid === undefined) throw new BadRoute()
  const userHops = hops.filter(hop => hop.from !== credentialsUuid)
  const userUuid = userHops[userHops.length - 1]?.from
  if (userUuid === undefined) throw new BadRoute()
  // The user device's own self-hop means the job looped back through U: refuse it.
  if (route.some(hop => hop.from === userUuid && hop.to === userUuid && hop.type === 'message.received')) throw new BadRoute()
  return { senderUuid, userUuid, credentialsUuid }
}
