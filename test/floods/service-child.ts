// `endo-vault start` as the flood runner's child process, plus one thing: asked over IPC, it collects garbage
// and reports its memory, so the runner can tell what a flood left behind from what V8 has not given back.
import { startCommand } from '../../src/cli/start-command.js'

const gc = (globalThis as { gc?: () => void }).gc
process.on('message', message => {
  if (message !== 'memory') return
  for (let i = 0; i < 3; i++) gc?.()
  const usage = process.memoryUsage()
  process.send?.({ rss: usage.rss, live: usage.heapUsed + usage.external })
})
await startCommand()
