// The source side's HTTP client to a peer's target API: POSTs the envelope as raw YAML, reads a
// YAML answer, and turns a YAML error `{error, message, arguments}` back into the same class and
// message (upstream ApiClient + packaging.error); anything else is a BackendError. A peer is a
// stranger too: its answer is read up to a size and within the timeout, and parsed with bounds.
import { parseYaml, PEER_YAML_BOUNDS, YamlSyntaxError, type YamlBounds } from './yaml-1-1.js'
import { BackendError, errorFromWire, type IntercoopError } from './errors.js'
import { isJsonObject } from '../json-object.js'
import { clipped, DEFAULT_LIMITS } from '../limits.js'

export interface PeerHttp {
  fetch: typeof fetch
  /** For the whole call: connecting, sending and reading the answer. */
  timeoutMs: number
  /** Largest answer read; a longer one is a BackendError (the rest is not read). */
  maxResponseBytes?: number
  yamlBounds?: YamlBounds
}

class AnswerTooLarge extends Error {}

/** The body as UTF-8 text, refused as soon as it passes `max` bytes (announced or streamed). */
async function boundedText (response: globalThis.Response, max: number): Promise<string> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN)
  if (announced > max) {
    await response.body?.cancel().catch(() => {})
    throw new AnswerTooLarge(`the answer has ${announced} bytes, more than ${max}`)
  }
  if (response.body === null) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      await reader.cancel().catch(() => {})
      throw new AnswerTooLarge(`the answer is longer than ${max} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Calls a peer and returns its 200 YAML mapping; throws the peer's error or a BackendError. */
export async function callPeer (http: PeerHttp, url: string, body?: string): Promise<Record<string, unknown>> {
  let response: globalThis.Response
  let text: string
  try {
    // the signal also ends a body that trickles in: the timeout covers reading it
    response = await http.fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? { accept: 'application/yaml' } : { accept: 'application/yaml', 'content-type': 'application/yaml' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(http.timeoutMs),
    })
    text = await boundedText(response, http.maxResponseBytes ?? DEFAULT_LIMITS.intercoopMaxBodyBytes)
  } catch (error) {
    throw new BackendError(`${url}: ${(error as Error).message}`)
  }
  const [mediaType = ''] = (response.headers.get('content-type') ?? '').split(';', 1)
  if (mediaType.trim().toLowerCase() !== 'application/yaml') {
    throw new BackendError(response.status === 200
      ? `Wrong mime type received: ${clipped(response.headers.get('content-type') ?? 'none')}`
      : `Unexpected response: HTTP ${response.status}, ${clipped(response.headers.get('content-type') ?? 'no content type')}`)
  }
  let answer: unknown
  try {
    answer = parseYaml(text, http.yamlBounds ?? PEER_YAML_BOUNDS)
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new BackendError(`Bad yaml response\n${error.message}`)
    throw error
  }
  if (response.status !== 200) {
    if (isJsonObject(answer) && typeof answer.error === 'string') throw peerError(answer, response.status)
    throw new BackendError(`Unexpected response: HTTP ${response.status}`)
  }
  if (!isJsonObject(answer)) throw new BackendError('Wrong content format')
  return answer
}

function peerError (answer: Record<string, unknown>, status: number): IntercoopError {
  return errorFromWire({ error: answer.error as string, message: answer.message, arguments: answer.arguments }, status)
}
