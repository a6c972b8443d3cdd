import fs from 'node:fs/promises'
import { errorsMarkdown } from '../../scripts/gen-error-docs.js'

describe('docs/errors.md', () => {
  it('is what the error catalogues generate: every key, code and text of every domain, and only those', async () => {
    expect(await fs.readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(errorsMarkdown())
  })
})
