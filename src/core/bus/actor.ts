// Who performs an operation: the authenticated device, optionally acting as another (meshblu-endo §1.5).
import { Forbidden } from '../errors.js'
import { clipped } from '../limits.js'
import type { DeviceDocument } from './device.js'
import { isWhitelisted, type WhitelistName } from './whitelists.js'

export interface Actor {
  /** The authenticated device (auth.uuid). */
  uuid: string
  /** The device it acts as (x-meshblu-as), if any. */
  as?: string
}

/** F, the effective actor: the `as` device if given, else the authenticated one. */
export function effectiveUuid (actor: Actor): string {
  return actor.as ?? actor.uuid
}

/**
 * protect-your-as, then the `<category>.as` check: acting as X on X itself is refused,
 * and acting as X needs `asList ∋ A on X`.
 */
export function assertMayActAs (actor: Actor, targetUuid: string | undefined, asDevice: DeviceDocument | undefined, asList: WhitelistName): void {
  if (actor.as === undefined || actor.as === actor.uuid) return
  if (actor.as === targetUuid) throw new Forbidden(`may not act as ${clipped(actor.as)} on itself`)
  if (!isWhitelisted(asDevice, asList, actor.uuid)) throw new Forbidden(`not allowed to act as ${clipped(actor.as)}`)
}
