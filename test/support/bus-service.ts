// A service for the bus and broker suites: real sockets, but no jobs loaded (an empty jobs folder),
// so these suites neither depend on nor wait for src/jobs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ConfigOverrides } from '../../src/core/config.js'
import { startTestService, type TestService } from './test-service.js'

const NO_JOBS = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-no-jobs-'))

export async function startBusService (overrides: ConfigOverrides = {}): Promise<TestService> {
  return await startTestService(overrides, { jobsDir: NO_JOBS })
}
