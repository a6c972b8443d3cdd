// The source side's HTTP client to a peer's target API: POSTs the envelope as raw YAML, reads a
// YAML answer, and turns a YAML error `{error, message, arguments}` back into the same class and
// message (upstream ApiClient + packaging.error); anything else is a BackendError.
import { parseYaml, YamlSyntaxError } from './yaml-1-1.js'
import { BackendError, errorFromWire, type IntercoopError } from './errors.js'
import { isJsonObject } from '../json-object.js'

export interface PeerHttp {
  fetch: typeof fetch
  timeoutMs: number
}


/** Calls a peer and returns its 200 YAML mapping; throws the peer's error or a BackendError. */
export async function callPeer (http: PeerHttp, url: string, body?: string): Promise<Record<string, unknown>> {
  let response: globalThis.Response
  let text: string
  try {
    response = await http.fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? { accept: 'application/yaml' } : { accept: 'application/yaml', 'content-type': 'application/yaml' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(http.timeoutMs),
    })
    text = await response.text()
  } catch (error) {
    throw new BackendError(`${url}: ${(error as Error).message}`)
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (mediaType !== 'application/yaml') {
    throw new BackendError(response.status === 200
      ? `Wrong mime type received: ${response.headers.get('content-type') ?? 'none'}`
      : `Unexpected response: HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'}`)
  }
  let answer: unknown
  try {
    answer = parseYaml(text)
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
