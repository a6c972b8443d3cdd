// YAML as the intercoop reference reads and writes it: PyYAML's YAML 1.1 rules (reference §A1).
// Written text must read back with the same types under PyYAML SafeLoader, and text that PyYAML
// writes ('08012' unquoted, 'NO' quoted) must read here as PyYAML reads it.
import {
  Composer, isAlias, isCollection, isPair, isScalar, Lexer, LineCounter, Parser, stringify, visit, Scalar,
  YAMLParseError, type CST, type Document, type ScalarTag, type Tags,
} from 'yaml'
import { clipped, DEFAULT_LIMITS, type Limits } from '../limits.js'

/** A value that crosses the wire: what both YAML libraries map the same way. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue }

/** A text that is not YAML; the message is the parser's text (library specific after line 1). */
export class YamlSyntaxError extends Error {}

// PyYAML's implicit resolvers (YAML 1.1 types). A plain string matching one of them would read
// back as another type (or fail: `=` and `<<` have no SafeLoader constructor), so it is quoted.
const PYYAML_IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<|=|~|null|Null|NULL|)$/,
  /^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?$/,
]

// Characters written as they are: printable for PyYAML's reader, and no line break for it
// (PyYAML breaks lines at \x85, \u2028, \u2029 too). Anything else goes in an escaped "…" scalar.
const NEEDS_ESCAPES = /[^\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/u

const NAMED_ESCAPES: Record<string, string> = {
  '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r',
  '\x1b': '\\e', '"': '\\"', '\\': '\\\\', '\x85': '\\N', '\u2028': '\\L', '\u2029': '\\P',
}

function doubleQuoted (text: string): string {
  let out = '"'
  for (const char of text) {
    const named = NAMED_ESCAPES[char]
    if (named !== undefined) { out += named; continue }
    if (!NEEDS_ESCAPES.test(char)) { out += char; continue }
    const code = char.codePointAt(0) ?? 0
    const hex = code.toString(16).toUpperCase()
    out += code <= 0xFF ? `\\x${hex.padStart(2, '0')}` : code <= 0xFFFF ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`
  }
  return out + '"'
}

// A conservative subset of PyYAML's plain scalars in block context: no indicator first, no
// `: ` or ` #` inside, no trailing `:` or space, no implicit type. Anything else is quoted.
function isSafePlain (text: string): boolean {
  if (text === '' || /^[-?:,[\]{}#&*!|>'"%@`\s]/.test(text) || /\s$|:$|: | #/.test(text)) return false
  return !PYYAML_IMPLICIT.some(re => re.test(text))
}

function singleQuoted (text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** JS writes 1e+21; PyYAML 1.1 needs a dot in a float (1.0e+21), else it reads a string. */
function pythonNumber (text: string): string {
  return /^[-+]?[0-9]+[eE][-+][0-9]+$/.test(text) ? text.replace(/[eE]/, '.0e') : text
}

function writerTags (tags: Tags): Tags {
  // Without the merge tag, the string '<<' is a string, and gets quoted like the others.
  return tags.filter(tag => !(typeof tag === 'object' && 'tag' in tag && tag.tag === 'tag:yaml.org,2002:merge')).map(tag => {
    if (typeof tag !== 'object' || !('tag' in tag)) return tag
    const base = tag as ScalarTag
    if (base.tag === 'tag:yaml.org,2002:str') {
      return {
        ...base,
        stringify (item, ctx, onComment, onChompKeep) {
          const text = String((item as Scalar).value)
          if (NEEDS_ESCAPES.test(text)) return doubleQuoted(text)
          if (!isSafePlain(text)) return singleQuoted(text)
          return base.stringify!(item, ctx, onComment, onChompKeep)
        },
      } satisfies ScalarTag
    }
    if (base.tag === 'tag:yaml.org,2002:int' || base.tag === 'tag:yaml.org,2002:float') {
      return {
        ...base,
        stringify (item, ctx, onComment, onChompKeep) {
          return pythonNumber(base.stringify!(item, ctx, onComment, onChompKeep))
        },
      } satisfies ScalarTag
    }
    return tag
  })
}

/**
 * Writes a value as block YAML that PyYAML (YAML 1.1, SafeLoader) reads back identically:
 * keys in insertion order, `- item` at the key's indent, no folding.
 */
export function dumpYaml (value: YamlValue): string {
  return stringify(value, {
    version: '1.1',
    customTags: writerTags,
    singleQuote: true,
    indentSeq: false,
    lineWidth: 0,
  })
}

// The npm 1.1 schema resolves more than PyYAML does (08012 and 08e8 as numbers, y/n as booleans,
// "." as NaN, 0121:20 as sexagesimal, dates as Date): its tests are swapped for PyYAML's, and
// timestamps stay strings (personal data is text).
const PYYAML_TESTS: Record<string, RegExp | 'drop'> = {
  'tag:yaml.org,2002:int|': /^[-+]?(?:0|[1-9][0-9_]*)$/,
  'tag:yaml.org,2002:int|TIME': /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/,
  'tag:yaml.org,2002:float|': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/,
  'tag:yaml.org,2002:float|EXP': 'drop',
  'tag:yaml.org,2002:bool|true': /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  'tag:yaml.org,2002:bool|false': /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  'tag:yaml.org,2002:timestamp|': 'drop',
}

function readerTags (tags: Tags): Tags {
  const out: Tags = []
  for (const tag of tags) {
    const base = tag as ScalarTag
    const current = typeof tag === 'object' && 'test' in tag ? base.test : undefined
    if (current === undefined) { out.push(tag); continue }
    const variant = base.tag === 'tag:yaml.org,2002:bool'
      ? String(current.test('true'))
      : current.test('.nan') ? 'NAN' : base.format ?? ''
    const test = PYYAML_TESTS[`${base.tag}|${variant}`]
    if (test === 'drop') continue
    out.push(test === undefined ? tag : { ...base, test })
  }
  return out
}

/**
 * What a parse may cost, so that a few KB of hostile YAML cannot stall or crash the process: the
 * yaml package works in proportion to its tokens (µs each), recurses once per nesting level while
 * composing, and hands out aliases as shared objects that anything walking the result expands.
 */
export interface YamlBounds {
  /** Aliases (`*name`) one text may use; also the yaml package's maxAliasCount. */
  maxAliases: number
  /** Deepest nesting of collections, checked on the parser's tree before anything recurses. */
  maxDepth: number
  /** Lexical tokens (indicators, scalars, spaces, line breaks): the parser stops at one more. */
  maxTokens: number
}

/** The bounds of what peers send: the limits table's (limits.ts). */
export function yamlBoundsOf (limits: Pick<Limits, 'intercoopMaxYamlAliases' | 'maxJsonDepth' | 'intercoopMaxYamlTokens'>): YamlBounds {
  return { maxAliases: limits.intercoopMaxYamlAliases, maxDepth: limits.maxJsonDepth, maxTokens: limits.intercoopMaxYamlTokens }
}

/** The default: the limits table's defaults, for anything that comes from a peer. */
export const PEER_YAML_BOUNDS: Readonly<YamlBounds> = Object.freeze(yamlBoundsOf(DEFAULT_LIMITS))

/** The operator's own files (our descriptor, the peers directory): no token bound, the rest as for peers. */
export const FILE_YAML_BOUNDS: Readonly<YamlBounds> = Object.freeze({ ...PEER_YAML_BOUNDS, maxTokens: Number.POSITIVE_INFINITY })

// errors are not prettified by the package (it would format thousands for hostile text): withPlace does the first
const PARSE_OPTIONS = { version: '1.1', customTags: readerTags, uniqueKeys: true } as const

/**
 * Parses one YAML 1.1 document the way PyYAML SafeLoader does; throws YamlSyntaxError, also for
 * anything past `bounds` and for what SafeLoader would not construct into plain data (see checkNodes).
 */
export function parseYaml (text: string, bounds: Readonly<YamlBounds> = PEER_YAML_BOUNDS): unknown {
  const lineCounter = new LineCounter()
  const tokens = parsedTokens(text, bounds, lineCounter)
  const doc = withoutStackTraces(() => composedDocument(tokens, text.length))
  const strayTab = findStrayTab(text, doc)
  if (strayTab !== undefined) throw new YamlSyntaxError(strayTabMessage(text, strayTab))
  const [firstError] = doc.errors
  if (firstError !== undefined) throw new YamlSyntaxError(withPlace(firstError, text, lineCounter))
  checkNodes(doc, bounds)
  try {
    return doc.toJS({ maxAliasCount: bounds.maxAliases })
  } catch (error) {
    // an alias before its anchor, a merge of a non-mapping, the package's own alias-expansion check
    throw new YamlSyntaxError((error as Error).message)
  }
}

/**
 * The package makes an Error per problem it meets, and hostile text has thousands: capturing their
 * stacks (never shown) would be most of the parse time.
 */
function withoutStackTraces<T> (parse: () => T): T {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return parse()
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** The parser's message with its line, column and a snippet of at most 80 characters (as the package's prettyErrors). */
function withPlace (error: YAMLParseError, text: string, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(error.pos[0])
  const start = lineCounter.lineStarts[line - 1] ?? 0
  const from = Math.max(start, error.pos[0] - 40)
  let end = text.indexOf('\n', from)
  if (end === -1 || end - from > 80) end = Math.min(text.length, from + 80)
  const context = text.slice(from, end).replace(/[\r\n]+$/, '')
  return `${error.message} at line ${line}, column ${col}:\n\n${context}\n${' '.repeat(error.pos[0] - from)}^\n`
}

/**
 * The parser's tree (CST), checked for its token count and nesting depth: the lexer and parser are
 * iterative and stop at the token bound, and the tree is walked with an explicit stack, so neither
 * `[[[[…` nor `- - - …` reaches the recursive composer.
 */
function parsedTokens (text: string, bounds: Readonly<YamlBounds>, lineCounter: LineCounter): CST.Token[] {
  const parser = new Parser(lineCounter.addNewLine)
  const tokens: CST.Token[] = []
  let count = 0
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > bounds.maxTokens) throw new YamlSyntaxError(`the YAML text has more than ${bounds.maxTokens} tokens`)
    for (const token of parser.next(lexeme)) tokens.push(token)
  }
  for (const token of parser.end()) tokens.push(token)
  const stack: Array<[CST.Token | null | undefined, number]> = tokens.map(token => [token, 0])
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token | null | undefined, number]
    if (token === null || token === undefined) continue
    if (token.type === 'document') { stack.push([token.value, depth]); continue }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue
    if (depth + 1 > bounds.maxDepth) throw new YamlSyntaxError(`the YAML is nested deeper than ${bounds.maxDepth} levels`)
    for (const item of token.items) {
      if ('key' in item) stack.push([item.key, depth + 1])
      stack.push([item.value, depth + 1])
    }
  }
  return tokens
}

/** The first document of the tree, a second one an error (as the package's parseDocument does). */
function composedDocument (tokens: CST.Token[], length: number): Document.Parsed {
  let doc: Document.Parsed | undefined
  for (const next of new Composer(PARSE_OPTIONS).compose(tokens, true, length)) {
    if (doc === undefined) { doc = next; continue }
    doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'))
    break
  }
  return doc as Document.Parsed // compose(…, forceDoc = true) always gives one
}

// Explicit tags SafeLoader and we agree on and that give plain data. The rest (!!python/object…,
// local tags, and !!binary, !!timestamp, !!set, !!omap, !!pairs, which give no plain data here) are refused.
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map', 'merge'].map(name => `tag:yaml.org,2002:${name}`))

function shownTag (tag: string): string {
  return clipped(tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag, 64)
}

/**
 * Refuses, on the composed nodes (depth already bounded, walked with a stack): more aliases than the
 * bound, tags outside PLAIN_TAGS, mapping keys that are not scalars (SafeLoader: "found unhashable
 * key"; the yaml package would print them), and numbers JavaScript cannot hold exactly (PyYAML's ints
 * have no limit: 2^53 and more would arrive changed, 1e999 and .inf as Infinity).
 */
function checkNodes (doc: Document, bounds: Readonly<YamlBounds>): void {
  let aliases = 0
  const stack: unknown[] = [doc.contents]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || node === undefined) continue
    if (isAlias(node)) {
      if (++aliases > bounds.maxAliases) throw new YamlSyntaxError(`the YAML uses more than ${bounds.maxAliases} aliases`)
      continue
    }
    if (isPair(node)) {
      if (node.key !== null && !isScalar(node.key)) throw new YamlSyntaxError('a mapping key must be a scalar, not a collection or an alias')
      stack.push(node.key, node.value)
      continue
    }
    const tag = (node as { tag?: string }).tag
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) throw new YamlSyntaxError(`the tag ${shownTag(tag)} is not allowed: only plain strings, numbers, booleans, nulls, lists and mappings`)
    if (isScalar(node)) { checkNumber(node); continue }
    if (isCollection(node)) for (const item of node.items) stack.push(item)
  }
}

function checkNumber (node: Scalar): void {
  const value = node.value
  if (typeof value !== 'number') return
  const source = typeof node.source === 'string' ? node.source : String(value)
  // YAML 1.1 floats have a dot (readerTags), so an integral value without one was written as an int
  if (!Number.isFinite(value) || (!Number.isSafeInteger(value) && Number.isInteger(value) && !source.includes('.'))) {
    throw new YamlSyntaxError(`the number ${clipped(source, 40)} is out of range`)
  }
}

/**
 * PyYAML's scanner refuses a tab wherever a token could start ("found character '\t' that cannot
 * start any token"); only quoted and block scalars and comments may hold tabs. The npm parser is
 * more lenient (a lone tab is an empty document to it), so this check restores the refusal.
 * One pass over the text, jumping over those scalars (in document order) and comments.
 */
function findStrayTab (text: string, doc: Document): number | undefined {
  if (!text.includes('\t')) return undefined
  const allowed: Array<[number, number]> = []
  visit(doc, {
    Scalar (_key, node) {
      if (node.type !== Scalar.PLAIN && node.range !== undefined && node.range !== null) allowed.push([node.range[0], node.range[1]])
    },
  })
  allowed.sort((a, b) => a[0] - b[0])
  let next = 0
  let inComment = false
  for (let at = 0; at < text.length; at++) {
    let range = allowed[next]
    while (range !== undefined && range[1] <= at) { next++; range = allowed[next] }
    if (range !== undefined && range[0] <= at) { at = range[1] - 1; continue }
    const char = text[at]
    if (char === '\n' || char === '\r') inComment = false
    else if (inComment) continue
    else if (char === '#' && (at === 0 || text[at - 1] === ' ' || text[at - 1] === '\t' || text[at - 1] === '\n' || text[at - 1] === '\r')) inComment = true
    else if (char === '\t') return at
  }
  return undefined
}

/** PyYAML's text for the stray tab, with its snippet (Mark.get_snippet). */
function strayTabMessage (text: string, at: number): string {
  const before = text.slice(0, at)
  const line = before.split('\n').length
  const column = at - (before.lastIndexOf('\n') + 1) + 1
  return 'while scanning for the next token\n' +
    "found character '\\t' that cannot start any token\n" +
    `  in "<unicode string>", line ${line}, column ${column}:\n` +
    snippet(text, at)
}

function snippet (text: string, pointer: number, indent = 4, maxLength = 75): string {
  const breaks = '\0\r\n\x85\u2028\u2029'
  let head = ''
  let start = pointer
  while (start > 0 && !breaks.includes(text.charAt(start - 1))) {
    start -= 1
    if (pointer - start > maxLength / 2 - 1) { head = ' ... '; start += 5; break }
  }
  let tail = ''
  let end = pointer
  while (end < text.length && !breaks.includes(text.charAt(end))) {
    end += 1
    if (end - pointer > maxLength / 2 - 1) { tail = ' ... '; end -= 5; break }
  }
  return ' '.repeat(indent) + head + text.slice(start, end) + tail + '\n' +
    ' '.repeat(indent + pointer - start + head.length) + '^'
}
