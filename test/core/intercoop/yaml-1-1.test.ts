import { dumpYaml, parseYaml, YamlSyntaxError } from '../../../src/core/intercoop/yaml-1-1.js'

describe('writing YAML that PyYAML reads back with the same types (reference §A1 gotchas)', () => {
  it.each([
    ['NO', "'NO'"], ['yes', "'yes'"], ['Off', "'Off'"], ['08012', "'08012'"], ['01022', "'01022'"],
    ['1_000', "'1_000'"], ['190:20:30', "'190:20:30'"], ['.5', "'.5'"], ['1.0', "'1.0'"], ['+.inf', "'+.inf'"],
    ['2024-01-01', "'2024-01-01'"], ['~', "'~'"], ['null', "'null'"], ['', "''"], ['=', "'='"], ['<<', "'<<'"],
    [':', "':'"], ['a:', "'a:'"], ['a: b', "'a: b'"], ['a #b', "'a #b'"], ['- x', "'- x'"], ["it's", "it's"],
    ['Bunny, Bugs', 'Bunny, Bugs'], ['12345678Z', '12345678Z'], ['+34 600 000 000', '+34 600 000 000'],
    ['y', "'y'"], // a string to PyYAML, a boolean to the npm 1.1 schema: quoted for both
  ])('writes the string %j as %s', (value, written) => {
    expect(dumpYaml({ k: value })).toBe(`k: ${written}\n`)
  })

  it.each([
    ['a tab', 'x\ty', '"x\\ty"'],
    ['a line break', 'Carrer Major, 5\n2n 1a', '"Carrer Major, 5\\n2n 1a"'],
    ['a YAML 1.1 line break (NEL)', 'a\u0085b', '"a\\Nb"'],
    ['a line separator', 'a\u2028b', '"a\\Lb"'],
    ['a control character', 'a\u0001b', '"a\\x01b"'],
    ['a byte order mark', '\uFEFFa', '"\\uFEFFa"'],
  ])('escapes %s in a double-quoted scalar', (_what, value, written) => {
    expect(dumpYaml({ k: value })).toBe(`k: ${written}\n`)
  })

  it('writes keys in insertion order, lists at the key indent, no folding', () => {
    const long = 'word '.repeat(40).trim()
    expect(dumpYaml({ z: 1, a: ['member', 'worker'], long })).toBe(`z: 1\na:\n- member\n- worker\nlong: ${long}\n`)
  })

  it('writes numbers PyYAML reads as numbers: a float exponent gets its dot', () => {
    expect(dumpYaml({ a: 1e21, b: 1e-7, c: 1.5, d: -3 })).toBe('a: 1.0e+21\nb: 1.0e-7\nc: 1.5\nd: -3\n')
  })

  it('reads back everything it writes', () => {
    const value = { s: ['NO', '08', '1:20', 'x\ty', 'a\u2028b', '😀', "'", '"', '\\'], n: [0, -1, 2.5], b: [true, false], z: null, m: { y: 'n' } }
    expect(parseYaml(dumpYaml(value))).toEqual(value)
  })
})

describe('reading YAML as PyYAML SafeLoader does', () => {
  it('reads PyYAML-written 08012 and 08 as strings, and 012 as octal', () => {
    expect(parseYaml('a: 08012\nb: 08\nc: 012\nd: 0x1F\ne: 1_000\n')).toEqual({ a: '08012', b: '08', c: 10, d: 31, e: 1000 })
  })

  it('reads y, n, ., 1e3 and 0121:20 as strings, yes/No as booleans', () => {
    expect(parseYaml('a: y\nb: n\nc: .\nd: 1e3\ne: 0121:20\nf: yes\ng: No\nh: 190:20:30\n'))
      .toEqual({ a: 'y', b: 'n', c: '.', d: '1e3', e: '0121:20', f: true, g: false, h: 685230 })
  })

  it('keeps dates as text', () => {
    expect(parseYaml('a: 2024-01-01\nb: 2024-01-01T10:00:00Z\n')).toEqual({ a: '2024-01-01', b: '2024-01-01T10:00:00Z' })
  })

  it.each([
    ['a lone tab', '\t', 1, 1],
    ['a tab before a key', 'a: 1\n\tb: 2', 2, 1],
    ['a tab after a colon', 'a:\tb', 1, 3],
    ['a tab inside a plain scalar', 'a: x\ty', 1, 5],
    ['a tab before a comment', 'a: 1\t# c', 1, 5],
  ])('refuses %s like PyYAML, with its line and column', (_what, text, line, column) => {
    expect(() => parseYaml(text)).toThrow(YamlSyntaxError)
    expect(() => parseYaml(text)).toThrow(`found character '\\t' that cannot start any token\n  in "<unicode string>", line ${line}, column ${column}:`)
  })

  it.each([
    ['a quoted scalar', 'a: "x\ty"', { a: 'x\ty' }],
    ['a single-quoted scalar', "a: 'x\ty'", { a: 'x\ty' }],
    ['a block scalar', 'a: |\n  x\n  \ty\n', { a: 'x\n\ty\n' }],
    ['a comment', '# a\tb\na: 1', { a: 1 }],
  ])('accepts a tab inside %s', (_what, text, value) => {
    expect(parseYaml(text)).toEqual(value)
  })

  it('refuses duplicate keys and a second document', () => {
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow(YamlSyntaxError)
    expect(() => parseYaml('a: 1\n---\nb: 2\n')).toThrow(YamlSyntaxError)
  })
})
