// The target API over HTTP (reference §A3), to mount at /intercoop: every answer is YAML with a
// Content-Type of exactly `application/yaml` (upstream clients compare the whole header), and
// every refusal is `{error, message, arguments}` with the §A2 status, never a 500 page.
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { dumpYaml, type YamlValue } from './yaml-1-1.js'
import { PROTOCOL_VERSION } from './produce-package.js'
import { createIntercoopTarget, type IntercoopTargetDeps } from './target-side.js'
import { BadMessage, fillTemplate, IntercoopError, IntercoopErrorText } from './errors.js'

/** Protocol extensions this target offers, announced by GET /protocolVersion. */
export const TARGET_EXTENSIONS = ['replayProtection', 'serviceField', 'withdrawConsent'] as const

function sendYaml (res: Response, status: number, body: string): void {
  const bytes = Buffer.from(body, 'utf8')
  // res.send/res.type would add "; charset=utf-8", which upstream clients refuse
  res.statusCode = status
  res.setHeader('Content-Type', 'application/yaml')
  res.setHeader('Content-Length', String(bytes.length))
  res.setHeader('Cache-Control', 'no-store')
  res.end(bytes)
}

/** The request body as text, whatever its Content-Type (the Python client sends none). */
function bodyText (req: Request): string {
  const body: unknown = req.body
  if (!Buffer.isBuffer(body)) return ''
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new BadMessage('Bad message YAML format\nthe body is not UTF-8 text')
  }
}

export function createIntercoopRouter (deps: IntercoopTargetDeps): Router {
  const target = createIntercoopTarget(deps)
  const router = express.Router()
  const raw = express.raw({ type: () => true, limit: target.options.bodyLimit })

  router.get('/protocolVersion', (_req, res) => {
    sendYaml(res, 200, dumpYaml({ protocolVersion: PROTOCOL_VERSION, extensions: [...TARGET_EXTENSIONS] }))
  })

  router.get('/peerDescriptor', (_req, res) => {
    sendYaml(res, 200, dumpYaml(deps.entity.descriptor as unknown as YamlValue))
  })

  router.post('/activateService', raw, async (req, res) => {
    const accepted = await target.receiveActivation(bodyText(req))
    sendYaml(res, 200, dumpYaml({ uuid: accepted.uuid, continuationUrl: accepted.continuationUrl }))
  })

  router.get('/activateService/:uuid', async (req, res) => {
    const data = await target.collectReceivedData(String(req.params.uuid))
    sendYaml(res, 200, data.payloadYaml)
  })

  router.post('/withdrawConsent', raw, async (req, res) => {
    const withdrawal = await target.receiveWithdrawal(bodyText(req))
    sendYaml(res, 200, dumpYaml({ withdrawnNonce: withdrawal.withdrawnNonce }))
  })

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) { next(error); return }
    const refused = asIntercoopError(error)
    if (refused !== undefined) {
      // the class only: messages may quote a token (NoSuchUuid) or a payload snippet (BadFormat)
      deps.logger.warn({ event: 'intercoop.request.refused', error: refused.name, code: refused.code }, 'intercoop request refused')
      sendYaml(res, refused.code, dumpYaml(refused.toWire() as unknown as YamlValue))
      return
    }
    deps.logger.error({ event: 'intercoop.request.failed', err: error }, 'intercoop request failed')
    sendYaml(res, 500, dumpYaml({ error: 'InternalError', message: 'Internal Server Error', arguments: [] }))
  })

  return router
}

/** Intercoop errors as they are; the body parser's refusals (size, encoding) as BadMessage. */
function asIntercoopError (error: unknown): IntercoopError | undefined {
  if (error instanceof IntercoopError) return error
  const parserError = error as { type?: unknown, status?: unknown, message?: unknown }
  if (typeof parserError?.type === 'string' && typeof parserError.status === 'number' && parserError.status < 500) {
    const detail = `Bad message body\n${String(parserError.message)}`
    const message = fillTemplate(IntercoopErrorText.BadMessage.template, [detail])
    return new IntercoopError('BadMessage', [detail], { code: parserError.status, message })
  }
  return undefined
}
