// RSA key pairs for connections, organizations and services (meeco-vault §1.7: ~1 s per 4096-bit key).
// Generation is node's async generateKeyPair, which runs on the libuv threadpool and never blocks the event loop;
// a small pool keeps pairs ready and refills itself in the background after each take().
import { generateKeyPair } from 'node:crypto'
import { promisify } from 'node:util'

/** PEMs in cryppo-js's formats: SPKI "BEGIN PUBLIC KEY" and PKCS#1 "BEGIN RSA PRIVATE KEY". */
export interface RsaKeyPairPem {
  publicKeyPem: string
  privateKeyPem: string
}

export interface KeyPairPoolOptions {
  /** Pairs kept ready (default 2). 0 means every take() generates on demand. */
  size?: number
  /** Default 4096, the size Cryppo's `Rsa4096` names; tests use 2048 to stay fast. */
  modulusLength?: number
  /** Background generations running at once (default 1), so refills leave threadpool room for other work. */
  concurrency?: number
}

const generateKeyPairAsync = promisify(generateKeyPair)

export async function generateRsaKeyPair (modulusLength = 4096): Promise<RsaKeyPairPem> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  })
  return { publicKeyPem: publicKey, privateKeyPem: privateKey }
}

export class KeyPairPool {
  readonly size: number
  readonly modulusLength: number
  readonly concurrency: number
  private readonly ready: RsaKeyPairPem[] = []
  private readonly waiting: Array<{ resolve: (pair: RsaKeyPairPem) => void, reject: (error: unknown) => void }> = []
  private readonly running = new Set<Promise<void>>()
  private backgroundRunning = 0
  /** Set when a background generation failed; the next take() retries instead of looping on the failure. */
  private refillPaused = false
  private closed = false

  constructor (options: KeyPairPoolOptions = {}) {
    this.size = options.size ?? 2
    this.modulusLength = options.modulusLength ?? 4096
    this.concurrency = Math.max(1, options.concurrency ?? 1)
    this.refill()
  }

  /** Pairs ready right now. */
  get available (): number {
    return this.ready.length
  }

  /** A fresh pair: a pooled one if ready, otherwise the next one generated. Each pair is handed out once. */
  async take (): Promise<RsaKeyPairPem> {
    if (this.closed) throw new Error('key pair pool is closed')
    this.refillPaused = false
    const pair = this.ready.shift()
    this.refill()
    if (pair !== undefined) return pair
    const taken = new Promise<RsaKeyPairPem>((resolve, reject) => { this.waiting.push({ resolve, reject }) })
    // Each waiter beyond what is already being generated gets its own generation, so a burst does not queue behind one.
    if (this.waiting.length > this.running.size) this.generate(false)
    return await taken
  }

  /** Stops refilling and waits for generations in flight (their pairs still go to waiting take() calls). */
  async close (): Promise<void> {
    this.closed = true
    while (this.running.size > 0) await Promise.allSettled([...this.running])
    this.ready.length = 0
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('key pair pool is closed'))
  }

  private refill (): void {
    while (!this.closed && !this.refillPaused && this.backgroundRunning < this.concurrency &&
      this.ready.length + this.backgroundRunning < this.size) {
      this.generate(true)
    }
  }

  private generate (background: boolean): void {
    if (background) this.backgroundRunning++
    const run = generateRsaKeyPair(this.modulusLength).then(
      (pair) => { this.deliver(pair) },
      (error: unknown) => {
        if (background) this.refillPaused = true
        this.waiting.shift()?.reject(error)
      }
    ).finally(() => {
      this.running.delete(run)
      if (background) {
        this.backgroundRunning--
        this.refill()
      }
    })
    this.running.add(run)
  }

  private deliver (pair: RsaKeyPairPem): void {
    const waiter = this.waiting.shift()
    if (waiter !== undefined) waiter.resolve(pair)
    else if (!this.closed) this.ready.push(pair)
  }
}
