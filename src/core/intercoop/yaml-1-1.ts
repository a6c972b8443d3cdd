// YAML as the intercoop reference reads and writes it: PyYAML's YAML 1.1 rules (reference §A1).
// Written text must read back with the same types under PyYAML SafeLoader, and text that PyYAML
// writes ('08012' unquoted, 'NO' quoted) must read here as PyYAML reads it.
import { parseDocument, stringify, visit, Scalar, type ScalarTag, type Tags } from 'yaml'

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

/** Parses one YAML 1.1 document the way PyYAML SafeLoader does; throws YamlSyntaxError. */
export function parseYaml (text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', customTags: readerTags, uniqueKeys: true, prettyErrors: true })
  const strayTab = findStrayTab(text, doc)
  if (strayTab !== undefined) throw new YamlSyntaxError(strayTabMessage(text, strayTab))
  if (doc.errors.length > 0) throw new YamlSyntaxError(doc.errors[0].message)
  return doc.toJS({ maxAliasCount: 100 })
}

/**
 * PyYAML's scanner refuses a tab wherever a token could start ("found character '\t' that cannot
 * start any token"); only quoted and block scalars and comments may hold tabs. The npm parser is
 * more lenient (a lone tab is an empty document to it), so this check restores the refusal.
 */
function findStrayTab (text: string, doc: ReturnType<typeof parseDocument>): number | undefined {
  if (!text.includes('\t')) return undefined
  const allowed: Array<[number, number]> = []
  visit(doc, {
    Scalar (_key, node) {
      if (node.type !== Scalar.PLAIN && node.range !== undefined && node.range !== null) allowed.push([node.range[0], node.range[1]])
    },
  })
  for (let at = text.indexOf('\t'); at !== -1; at = text.indexOf('\t', at + 1)) {
    if (allowed.some(([start, end]) => at >= start && at < end)) continue
    if (isInComment(text, at, allowed)) continue
    return at
  }
  return undefined
}

function isInComment (text: string, at: number, allowed: Array<[number, number]>): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1
  for (let i = lineStart; i < at; i++) {
    if (text[i] !== '#') continue
    if (allowed.some(([start, end]) => i >= start && i < end)) continue
    if (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t') return true
  }
  return false
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
  while (start > 0 && !breaks.includes(text[start - 1])) {
    start -= 1
    if (pointer - start > maxLength / 2 - 1) { head = ' ... '; start += 5; break }
  }
  let tail = ''
  let end = pointer
  while (end < text.length && !breaks.includes(text[end])) {
    end += 1
    if (end - pointer > maxLength / 2 - 1) { tail = ' ... '; end -= 5; break }
  }
  return ' '.repeat(indent) + head + text.slice(start, end) + tail + '\n' +
    ' '.repeat(indent + pointer - start + head.length) + '^'
}
