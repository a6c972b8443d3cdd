import fs from 'node:fs/promises'
import { VaultErrorText } from '../../../src/core/vault/vault-errors.js'

function textOf (value: string | ((slot: string) => string)): string {
  return typeof value === 'function' ? value('<slot>') : value
}

describe('docs/vault-errors.md', () => {
  it('lists every text of the vault error catalogue, and only those', async () => {
    const doc = await fs.readFile(new URL('../../../docs/vault-errors.md', import.meta.url), 'utf8')
    const rows = doc.split('\n').filter(line => /^\| [a-zA-Z]+ \| \d{3} \|/.test(line))
    const documented = Object.fromEntries(rows.map(line => {
      const cells = line.split(' | ')
      return [cells[0].replace(/^\| /, ''), cells[2].replace(/^`|`$/g, '')]
    }))
    expect(documented).toEqual(Object.fromEntries(Object.entries(VaultErrorText).map(([key, value]) => [key, textOf(value)])))
  })
})
