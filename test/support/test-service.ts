// Starts a real service on 127.0.0.1 with ports 0 and a temporary data directory; collects log lines.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { createLogger } from '../../src/core/log.js'
import { startService, type RunningService } from '../../src/core/service/start-service.js'
import type { ConfigOverrides } from '../../src/core/config.js'
import { scanForLeaks } from './leak-scan.js'

export interface TestService extends RunningService {
  dataDir: string
  /** Every log line written so far (JSON strings). */
  logLines: string[]
  /** Closes, then removes the data directory unless keepData. */
  stop: (options?: { keepData?: boolean }) => Promise<void>
}

export function temporaryDataDir (): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-test-'))
}

export async function startTestService (overrides: ConfigOverrides = {}, options: { jobsDir?: string } = {}): Promise<TestService> {
  const dataDir = overrides.dataDir ?? temporaryDataDir()
  const logLines: string[] = []
  const destination = new Writable({ write (chunk, _enc, done) { logLines.push(...chunk.toString().split('\n').filter(Boolean)); done() } })
  const logger = createLogger({ level: 'debug', destination })
  const service = await startService({ host: '127.0.0.1', mqttPort: 0, httpPort: 0, ...overrides, dataDir }, { logger, jobsDir: options.jobsDir })
  return Object.assign(service, {
    dataDir,
    logLines,
    async stop (options: { keepData?: boolean } = {}) {
      // Every suite ends with the secret-leak scan (test/support/leak-scan.ts).
      const report = await scanForLeaks(Object.assign(service, { dataDir, logLines }))
      await service.close()
      if (report.leaks.length > 0) throw new Error(`secret leak scan: ${report.leaks.length} leaks: ${report.leaks.join('; ')}`)
      console.log(`secret leak scan: ${report.secrets} secrets × ${report.places} places, 0 leaks`)
      if (options.keepData !== true) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  })
}
