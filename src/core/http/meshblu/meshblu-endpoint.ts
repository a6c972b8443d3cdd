// One Meshblu endpoint: parse the JSON body (size-limited), authenticate (§3.1), read metadata
// headers (§3.2), run the handler, and answer with its code, body and `x-meshblu-*` headers.
// Every failure is answered here, in the Meshblu wire shape; nothing a client sends can crash the process.
import type { Request, RequestHandler, Response } from 'express'
import { ErrorText, TooManyRequests, publicError, statusText } from '../../errors.js'
import type { Actor } from '../../bus/actor.js'
import type { HttpContext } from '../http-context.js'
import { jsonBody } from '../json-body.js'
import { authenticatedUuid, clientAddress } from './meshblu-auth.js'
import { actorOf, requestMetadata, writeResponseMetadata, type RequestMetadata } from './meshblu-metadata-headers.js'

/** `write`, when given, sends the body itself (large answers written in slices: device searches). */
export interface MeshbluReply { code: number, body?: unknown, write?: (res: Response) => Promise<void> }

export interface OpenCall { req: Request, metadata: RequestMetadata, body: unknown }
export interface AuthenticatedCall extends OpenCall { actor: Actor }

/**
 * How refusals look. `forbidden`: failed auth is 403 with an empty body (§3.1).
 * `devices-not-found`: device GETs answer failed auth, refusals and missing devices alike with
 * 404 `{code:404, message:'Devices not found'}` (§3.3), so existence is never revealed.
 */
export type Refusal = 'forbidden' | 'devices-not-found'

const DEVICES_NOT_FOUND = { code: 404, message: ErrorText.devicesNotFound }

async function reply (res: Response, metadata: RequestMetadata, { code, body, write }: MeshbluReply): Promise<void> {
  writeResponseMetadata(res, metadata, code >= 400 ? { code, error: statusText(code) } : { code })
  res.status(code)
  if (write !== undefined) await write(res)
  else if (body === undefined || code === 204) res.end()
  else res.json(body)
}

function replyError (res: Response, metadata: RequestMetadata, code: number, message: string, body: unknown): void {
  if (res.headersSent) { res.destroy(); return }
  writeResponseMetadata(res, metadata, { code, error: message })
  res.status(code)
  if (body === undefined) res.end()
  else res.json(body)
}

/** The wire form of an error: body-parser's errors get a clear message (too deep JSON: 422), UserErrors keep theirs, the rest are 500. */
function wireError (ctx: HttpContext, req: Request, error: any): { code: number, message: string } {
  if (error?.type === 'entity.too.large') return { code: 413, message: `Payload too large: the body exceeds the limit of ${ctx.config.limits.maxPayloadBytes} bytes` }
  if (error?.type === 'entity.parse.failed') return { code: 400, message: `Malformed JSON body: ${String(error.message)}` }
  if (typeof error?.status === 'number' && error.expose === true && error.status >= 400 && error.status < 500) {
    return { code: error.status, message: String(error.message) }
  }
  const wire = publicError(error)
  if (wire.code >= 500) ctx.logger.error({ err: error, method: req.method, path: req.path }, 'meshblu request failed')
  return { code: wire.code, message: wire.message }
}

export class MeshbluEndpoints {
  private readonly parseJson: RequestHandler

  constructor (private readonly ctx: HttpContext) {
    this.parseJson = jsonBody(ctx.config.limits)
  }

  private async body (req: Request, res: Response): Promise<unknown> {
    await new Promise<void>((resolve, reject) => {
      void this.parseJson(req, res, (error?: unknown) => { if (error === undefined || error === null) resolve(); else reject(error) })
    })
    return req.body
  }

  /** An endpoint that needs no credentials (register, status, public keys). */
  open (handler: (call: OpenCall) => Promise<MeshbluReply> | MeshbluReply): RequestHandler {
    return async (req, res) => {
      const metadata = requestMetadata(req.headers)
      try {
        const body = await this.body(req, res)
        await reply(res, metadata, await handler({ req, metadata, body }))
      } catch (error) {
        const { code, message } = wireError(this.ctx, req, error)
        if (error instanceof TooManyRequests && !res.headersSent) res.set('Retry-After', String(error.retryAfterSeconds))
        replyError(res, metadata, code, message, { error: message })
      }
    }
  }

  /** An endpoint for an authenticated device, acting as `x-meshblu-as` when given. */
  authenticated (handler: (call: AuthenticatedCall) => Promise<MeshbluReply> | MeshbluReply, refusal: Refusal = 'forbidden'): RequestHandler {
    return async (req, res) => {
      const metadata = requestMetadata(req.headers)
      const notFound = refusal === 'devices-not-found'
      try {
        const uuid = await authenticatedUuid(this.ctx.bus, req.headers, clientAddress(req))
        if (uuid === undefined) {
          if (notFound) replyError(res, metadata, 404, ErrorText.devicesNotFound, DEVICES_NOT_FOUND)
          else replyError(res, metadata, 403, 'Forbidden', undefined)
          return
        }
        const body = await this.body(req, res)
        await reply(res, metadata, await handler({ req, metadata, body, actor: actorOf(uuid, metadata) }))
      } catch (error) {
        const { code, message } = wireError(this.ctx, req, error)
        if (error instanceof TooManyRequests && !res.headersSent) res.set('Retry-After', String(error.retryAfterSeconds))
        if (notFound && (code === 403 || code === 404)) replyError(res, metadata, 404, ErrorText.devicesNotFound, DEVICES_NOT_FOUND)
        else replyError(res, metadata, code, message, { error: message })
      }
    }
  }
}
