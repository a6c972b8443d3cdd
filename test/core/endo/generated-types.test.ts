import fs from 'node:fs/promises'
import path from 'node:path'
import { generatedTypes } from '../../../scripts/gen-types.js'
import { JOBS_DIR } from '../../../src/core/endo/project-paths.js'

describe('each job folder', () => {
  it('has a types.ts equal to what npm run gen:types writes from its schemas', async () => {
    const folders = (await fs.readdir(JOBS_DIR, { withFileTypes: true })).filter(e => e.isDirectory())
    expect(folders.length).toBeGreaterThan(0)
    const stale: string[] = []
    for (const folder of folders) {
      const dir = path.join(JOBS_DIR, folder.name)
      const actual = await fs.readFile(path.join(dir, 'types.ts'), 'utf8').catch(() => '')
      if (actual !== await generatedTypes(dir)) stale.push(folder.name)
    }
    expect(stale).toEqual([])
  })
})
