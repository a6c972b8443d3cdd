// What the bench's command-line tools (run.ts, soak.ts) share: reading `--flag value` options, and a main that
// parses, runs, prints, writes the results file and sets the exit code (2 bad options, 1 failed, 0 passed).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Refuses flags outside `known`; the returned reader gives a flag's value, throwing when it has none. */
export function optionReader (argv: string[], known: string[], usage: string): (flag: string) => string | undefined {
  for (const arg of argv) if (arg.startsWith('--') && !known.includes(arg)) throw new Error(`unknown option ${arg}\n${usage}`)
  return flag => {
    const i = argv.indexOf(flag)
    if (i < 0) return undefined
    const v = argv[i + 1]
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${usage}`)
    return v
  }
}

export interface Cli<O extends { out?: string }, R> {
  tag: string
  usage: string
  parse: (argv: string[]) => O
  run: (options: O, log: (line: string) => void) => Promise<R>
  print: (result: R) => void
  passed: (result: R) => boolean
}

export async function runCli<O extends { out?: string }, R> (cli: Cli<O, R>): Promise<void> {
  if (process.argv.includes('--help')) { console.log(cli.usage); return }
  let options: O
  try {
    options = cli.parse(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    process.exitCode = 2
    return
  }
  const result = await cli.run(options, line => console.error(`[${cli.tag}] ${line}`))
  cli.print(result)
  if (options.out !== undefined) {
    const out = path.resolve(REPO_ROOT, options.out)
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n')
    console.log(`results written to ${path.relative(process.cwd(), out) || out}`)
  }
  process.exitCode = cli.passed(result) ? 0 : 1
}
