// Client `$regex` patterns, matched by RE2 (re2js): time linear in the text, whatever the pattern. V8's
// backtracking engine is not safe even for patterns safe-regex2 accepts: `.*x` over one 64 KB string
// takes seconds, `(a|a)*x` is exponential. A pattern must be a literal string, short, RE2 syntax, with
// only the flags i, m, s; safe-regex2 still refuses nested repetition (the Mongo-side meaning of "unsafe").
import { RE2JS } from 're2js'
import safeRegex from 'safe-regex2'

/** Mongo `$options` letters we honour; `x` (extended) has no RE2 equivalent, `g`/`y` would make matching stateful. */
const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL }

export class RegexRefused extends Error {}

export interface LinearRegex {
  test: (text: string) => boolean
  /** Instructions of the compiled program: matching costs about this much per character. */
  size: number
}

function flagsOf (options: unknown): number {
  if (options === undefined) return 0
  if (typeof options !== 'string') throw new RegexRefused('$options must be a string of the flags i, m, s')
  let flags = 0
  for (const letter of options) {
    const flag = FLAGS[letter]
    if (flag === undefined || (flags & flag) !== 0) throw new RegexRefused(`$options may hold only the flags i, m, s once each, not "${options.slice(0, 16)}"`)
    flags |= flag
  }
  return flags
}

/** Compiles a client pattern or throws RegexRefused saying why it may not run. */
export function linearRegex (pattern: unknown, options: unknown, maxLength: number): LinearRegex {
  if (typeof pattern !== 'string') throw new RegexRefused('$regex must be a literal string')
  if (pattern.length > maxLength) throw new RegexRefused(`$regex patterns are limited to ${maxLength} characters`)
  const flags = flagsOf(options)
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(pattern, flags)
  } catch (error) {
    throw new RegexRefused(`$regex is not a valid pattern: ${String((error as Error).message).slice(0, 120)}`)
  }
  if (!safeRegex(pattern)) throw new RegexRefused('$regex pattern has nested repetition (or too many repetitions) that could take exponential time')
  const size = (compiled.re2() as unknown as { prog: { inst: unknown[] } }).prog.inst.length
  return { test: text => compiled.test(text), size }
}

/** The same pattern, recompiled from a RegExp that mingo's query normaliser built (never run by V8). */
export function linearRegexOf (regExp: RegExp, maxLength: number): LinearRegex {
  return linearRegex(regExp.source, regExp.flags === '' ? undefined : regExp.flags, Math.max(maxLength, regExp.source.length))
}
