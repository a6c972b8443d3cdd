import fs from 'node:fs/promises'
import path from 'node:path'
import { generatedSharedTypes, generatedTypes, jobFolders, SHARED_TYPES_FILE } from '../../../scripts/gen-types.js'

describe('generated types', () => {
  it('of the shared schemas (the wire contract core returns, src/core/wire) equal what npm run gen:types writes', async () => {
    expect(await fs.readFile(SHARED_TYPES_FILE, 'utf8')).toBe(await generatedSharedTypes())
  })

  it('of each job folder equal what npm run gen:types writes from its schemas', async () => {
    const folders = await jobFolders()
    expect(folders.length).toBeGreaterThan(0)
    const stale: string[] = []
    for (const folder of folders) {
      const actual = await fs.readFile(path.join(folder, 'types.ts'), 'utf8').catch(() => '')
      if (actual !== await generatedTypes(folder)) stale.push(path.basename(folder))
    }
    expect(stale).toEqual([])
  })
})
