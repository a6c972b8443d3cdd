import fs from 'node:fs/promises'
import { IntercoopErrorText, IntercoopError } from '../../src/core/intercoop/index.js'
import * as intercoopErrors from '../../src/core/intercoop/errors.js'

/** The table rows of docs/intercoop-errors.md: class → code and template (`\n` written as the two characters). */
async function documentedErrors (): Promise<Record<string, { code: number, template: string }>> {
  const doc = await fs.readFile(new URL('../../docs/intercoop-errors.md', import.meta.url), 'utf8')
  const rows = doc.split('\n').filter(line => /^\| [A-Z][A-Za-z]+ \| \d+ \|/.test(line))
  return Object.fromEntries(rows.map(line => {
    const cells = line.split(' | ').map(cell => cell.replace(/^\| |\s*\|$/g, '').trim())
    return [cells[0], { code: Number(cells[1]), template: cells[2].replace(/^`|`$/g, '').replaceAll('\\n', '\n') }]
  }))
}

describe('docs/intercoop-errors.md', () => {
  it('lists every class of the intercoop error catalogue with its code and message template, and only those', async () => {
    const catalogue = Object.fromEntries(Object.entries(IntercoopErrorText).map(([name, spec]) => [name, { code: spec.code, template: spec.template }]))
    expect(await documentedErrors()).toEqual(catalogue)
  })

  it('documents only classes the code can throw: each has an error class of the same name', async () => {
    const classes = intercoopErrors as unknown as Record<string, unknown>
    for (const name of Object.keys(await documentedErrors())) {
      const errorClass = classes[name]
      expect(typeof errorClass === 'function' && (errorClass as { prototype: unknown }).prototype instanceof IntercoopError).toBe(true)
    }
  })
})
