// Writes a JSON array (optionally inside an envelope like `{"devices":…}`) to an HTTP response item by
// item, in chunks, waiting for the socket to drain and letting other work in every `sliceMs`: a search
// answer of searchMaxBytes (megabytes) never stringifies, copies or hashes as one block on the event loop.
import type { Response } from 'express'

const CHUNK_CHARS = 64 * 1024

export interface SlicedJsonArray {
  items: readonly unknown[]
  prefix?: string
  suffix?: string
  sliceMs: number
  /** Waits for this writer's next turn on the event loop (shared with searches: bus.turns). */
  nextTurn: () => Promise<void>
}

export async function writeSlicedJsonArray (res: Response, { items, prefix = '', suffix = '', sliceMs, nextTurn }: SlicedJsonArray): Promise<void> {
  res.setHeader('content-type', 'application/json; charset=utf-8')
  let chunk = `${prefix}[`
  let sliceStarted = performance.now()
  const flush = async (): Promise<void> => {
    const wantsMore = res.write(chunk)
    chunk = ''
    if (!wantsMore && !res.destroyed) await new Promise(resolve => { res.once('drain', resolve); res.once('close', resolve) })
    if (performance.now() - sliceStarted >= sliceMs) {
      await nextTurn()
      sliceStarted = performance.now()
    }
  }
  for (const [index, item] of items.entries()) {
    if (res.destroyed) return
    chunk += (index > 0 ? ',' : '') + JSON.stringify(item)
    if (chunk.length >= CHUNK_CHARS) await flush()
  }
  chunk += `]${suffix}`
  res.end(chunk)
}
