// The check bin/endo-vault.js runs before it starts dist/: a build of other sources (src/ or the shared schemas the
// validators were generated from) is refused, naming a file; a build of these sources runs, without reading them
// when nothing has moved since the build stamped them. A project of a few files, built by recording its inputs.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BUILD_INFO_FILE, buildInputs, buildProblem } from '../../scripts/build-freshness.js'

const REBUILD = 'run `npm run build`'
const HOUR_AGO = new Date(Date.now() - 3_600_000)

describe('a dist/ build', () => {
  let project: string
  const file = (name: string): string => path.join(project, name)
  const write = (name: string, text: string): void => {
    fs.mkdirSync(path.dirname(file(name)), { recursive: true })
    fs.writeFileSync(file(name), text)
  }
  /** Every file and folder of the project as last modified an hour ago, as after a checkout and an install. */
  const settle = (): void => {
    for (const entry of fs.readdirSync(project, { recursive: true })) fs.utimesSync(file(String(entry)), HOUR_AGO, HOUR_AGO)
    fs.utimesSync(project, HOUR_AGO, HOUR_AGO)
  }
  const build = (): void => {
    write(`dist/${BUILD_INFO_FILE}`, JSON.stringify(buildInputs(project)))
  }

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-freshness-'))
    write('src/cli/main.ts', 'main\n')
    write('src/jobs/echo/message.schema.json', '{}\n')
    write('schemas/Item.json', '{"type":"object"}\n')
    settle()
    build()
  })
  afterEach(() => { fs.rmSync(project, { recursive: true, force: true }) })

  it('runs when nothing changed', () => {
    expect(buildProblem(project)).toBeUndefined()
  })

  it('runs when files were touched or rewritten without a change', () => {
    fs.utimesSync(file('src/cli/main.ts'), new Date(), new Date())
    fs.writeFileSync(file('schemas/Item.json'), '{"type":"object"}\n')
    expect(buildProblem(project)).toBeUndefined()
  })

  it('is refused when a source changed, naming it', () => {
    write('src/cli/main.ts', 'edited\n')
    expect(buildProblem(project)).toBe(`dist/ is older than src/ (src/cli/main.ts changed): ${REBUILD}`)
  })

  it('is refused when a source is new or was removed', () => {
    write('src/core/new-module.ts', 'new\n')
    fs.rmSync(file('src/jobs/echo/message.schema.json'))
    expect(buildProblem(project)).toBe(`dist/ is older than src/ (src/core/new-module.ts is new, 2 files in all): ${REBUILD}`)
  })

  it('is refused when a shared schema changed, was added or removed, as the validators were generated from them', () => {
    write('schemas/Item.json', '{"type":"array"}\n')
    expect(buildProblem(project)).toBe(`dist/ is older than src/ (schemas/Item.json changed): ${REBUILD}`)
    fs.rmSync(file('schemas/Item.json'))
    write('schemas/Share.json', '{}\n')
    expect(buildProblem(project)).toBe(`dist/ is older than src/ (schemas/Share.json is new, 2 files in all): ${REBUILD}`)
  })

  it('is refused when the schemas folder appeared after the build', () => {
    fs.rmSync(file('schemas'), { recursive: true })
    settle()
    build()
    write('schemas/Item.json', '{}\n')
    expect(buildProblem(project)).toBe(`dist/ is older than src/ (schemas/Item.json is new): ${REBUILD}`)
  })

  it('does not read sources whose size and mtime are as the build stamped them', () => {
    // the same size and the old mtime: indistinguishable without reading, which the check then does not do
    write('src/cli/main.ts', 'MAIN\n')
    fs.utimesSync(file('src/cli/main.ts'), HOUR_AGO, HOUR_AGO)
    expect(buildProblem(project)).toBeUndefined()
  })

  it('reads sources stamped too close to the build to tell a later edit in the same clock tick apart', () => {
    // modified as the build starts (a whole millisecond, so the same mtime can be set again below)
    const now = new Date()
    fs.utimesSync(file('src/cli/main.ts'), now, now)
    build()
    // edited in the same tick: the same size and mtime
    write('src/cli/main.ts', 'MAIN\n')
    fs.utimesSync(file('src/cli/main.ts'), now, now)
    expect(buildProblem(project)).toBe(`dist/ is older than src/ (src/cli/main.ts changed): ${REBUILD}`)
  })

  it('is refused when it was never built', () => {
    fs.rmSync(file(`dist/${BUILD_INFO_FILE}`))
    expect(buildProblem(project)).toBe(`dist/ has not been built: ${REBUILD} (npm install runs it too)`)
  })
})
