import fs from 'node:fs/promises'
import { ErrorText } from '../../src/core/errors.js'

function textOf (value: string | ((topic: string) => string)): string {
  return typeof value === 'function' ? value('<t>') : value
}

describe('docs/errors.md', () => {
  it('lists every text of the error catalogue, and only those', async () => {
    const doc = await fs.readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8')
    const rows = doc.split('\n').filter(line => /^\| [a-zA-Z]+ \|/.test(line) && !line.startsWith('| key'))
    const documented = Object.fromEntries(rows.map(line => {
      const cells = line.split('|').map(cell => cell.trim())
      return [cells[1], cells[3].replace(/^`|`$/g, '')]
    }))
    const catalogue = Object.fromEntries(Object.entries(ErrorText).map(([key, value]) => [key, textOf(value)]))
    expect(documented).toEqual(catalogue)
  })
})
