// The driver's handle on one bench child process (broker, service or load generator): forks the TypeScript
// file under tsx with an IPC channel, waits for its `ready` event, sends commands and stops it by its pid only.
import { fork, type ChildProcess } from 'node:child_process'
import type { ChildEvent, CommandAnswer, ProcessSample } from './ipc-commands.js'

export interface ChildLinkOptions {
  args?: string[]
  /** Extra node flags (e.g. `--cpu-prof`). tsx is always loaded. */
  execArgv?: string[]
  readyTimeoutMs?: number
}

export class ChildLink {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>()
  private readonly eventListeners = new Set<(event: ChildEvent) => void>()
  private exited = false

  private constructor (readonly name: string, readonly child: ChildProcess, readonly info: any) {
    child.on('message', (message: CommandAnswer | ChildEvent) => this.dispatch(message))
    child.on('exit', (code, signal) => {
      this.exited = true
      for (const { reject } of this.pending.values()) reject(new Error(`${name} exited (${signal ?? code}) with a command pending`))
      this.pending.clear()
    })
  }

  get pid (): number {
    return this.child.pid as number
  }

  static async start (name: string, script: string, options: ChildLinkOptions = {}): Promise<ChildLink> {
    const child = fork(script, options.args ?? [], {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const info = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name} not ready within ${options.readyTimeoutMs ?? 60000} ms`)) }, options.readyTimeoutMs ?? 60000)
      const onMessage = (message: ChildEvent): void => {
        if (message?.event !== 'ready') return
        clearTimeout(timer)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(message.info)
      }
      const onExit = (code: number | null): void => { clearTimeout(timer); reject(new Error(`${name} exited with ${code} before it was ready`)) }
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
    return new ChildLink(name, child, info)
  }

  private dispatch (message: CommandAnswer | ChildEvent): void {
    if ('event' in message) { for (const listener of this.eventListeners) listener(message); return }
    const waiter = this.pending.get(message.id)
    if (waiter === undefined) return
    this.pending.delete(message.id)
    if (message.ok) waiter.resolve(message.result)
    else waiter.reject(new Error(`${this.name}: ${message.error ?? 'command failed'}`))
  }

  onEvent (listener: (event: ChildEvent) => void): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  async request<T = unknown> (cmd: string, args?: unknown): Promise<T> {
    if (this.exited) throw new Error(`${this.name} has exited`)
    const id = this.nextId++
    return await new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ id, cmd, args })
    })
  }

  async sample (): Promise<ProcessSample> {
    return await this.request<ProcessSample>('sample')
  }

  /** Asks the child to stop, then signals this pid only if it has not exited within the grace time. */
  async stop (graceMs = 10000): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>(resolve => this.child.once('exit', () => resolve()))
    this.request('stop').catch(() => {})
    const timer = setTimeout(() => { if (!this.exited) this.child.kill('SIGKILL') }, graceMs)
    await exited
    clearTimeout(timer)
  }
}
