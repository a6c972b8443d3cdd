// Messages over HTTP (meshblu-endo §2, §3.3, §7): the bus routes them to devices on either API.
// 204 once accepted, even when a recipient's whitelist refuses the sender (refused silently, logged by the bus).
import type { Router } from 'express'
import { Unprocessable } from '../../errors.js'
import type { HttpContext } from '../http-context.js'
import type { MeshbluEndpoints } from './meshblu-endpoint.js'
import { withFields } from '../../with-fields.js'

export function messageRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  const { bus } = ctx

  router.post('/messages', endpoints.authenticated(async ({ actor, body }) => {
    await bus.sendMessage(actor, body)
    return { code: 204 }
  }))

  // v1 broadcast: the body is the message, sent to every device subscribed to the sender's broadcasts.
  router.post('/broadcasts', endpoints.authenticated(async ({ actor, body }) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new Unprocessable('message must be a JSON object', { error: 'message must be a JSON object' })
    }
    await bus.sendMessage(actor, withFields(body, { devices: ['*'] }))
    return { code: 204 }
  }))
}
