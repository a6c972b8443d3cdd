// Messages derived from a job's JSON Schema for fuzzing: a valid-looking sample, then mutations of it
// (missing fields, wrong types, huge strings, deep nesting, unicode, prototype-pollution keys).
import { randomUUID } from 'node:crypto'

type Schema = Record<string, any>

/** A value that fits the schema as far as a simple reading of it goes. */
export function sampleOf (schema: Schema | undefined, depth = 0): unknown {
  if (schema === undefined || depth > 6) return null
  if (schema.const !== undefined) return schema.const
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  const alternatives = schema.oneOf ?? schema.anyOf
  if (Array.isArray(alternatives)) return sampleOf(alternatives[0], depth + 1)
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return randomUUID()
      if (schema.format === 'date-time') return new Date(Date.now() + 86400000).toISOString()
      if (schema.format === 'email') return 'someone@example.org'
      if (schema.format === 'uri') return 'https://example.org/'
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1))
    case 'integer': case 'number': return schema.minimum ?? 1
    case 'boolean': return true
    case 'array': return schema.minItems > 0 ? [sampleOf(schema.items, depth + 1)] : []
    case 'null': return null
    default: {
      const result: Record<string, unknown> = {}
      for (const key of schema.required ?? []) result[key] = sampleOf(schema.properties?.[key], depth + 1)
      return result
    }
  }
}

function deeplyNested (levels: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < levels; i++) value = { nested: value }
  return value
}

export const HOSTILE_VALUES: Array<[string, unknown]> = [
  ['null', null], ['a number', 42], ['a negative float', -1.5e300], ['true', true], ['an empty string', ''],
  ['an array', [1, 'two']], ['an object', { a: 1 }], ['unicode', 'Zoë 🚗 \u202e\u0000 ﷽ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'],
  ['a 200 KB string', 'A'.repeat(200_000)], ['200 levels of nesting', deeplyNested(200)],
  ['a uuid of nobody', randomUUID()], ['a path escape', '../../etc/passwd'],
]

/** Raw JSON texts with prototype-pollution keys (JSON.stringify would drop `__proto__`). */
export function pollutedJson (data: unknown): string[] {
  const base = JSON.stringify(data ?? {})
  const inner = base === '{}' ? '' : ',' + base.slice(1, -1)
  return [
    `{"__proto__":{"polluted":true}${inner}}`,
    `{"constructor":{"prototype":{"polluted":true}}${inner}}`,
    `{"prototype":{"polluted":true}${inner}}`,
  ]
}

/** Named mutations of a job's data sample. */
export function dataMutations (schema: Schema | undefined): Array<[string, unknown]> {
  const sample = sampleOf(schema) as Record<string, unknown>
  const cases: Array<[string, unknown]> = [['the sample', sample], ['data missing', undefined], ...HOSTILE_VALUES.map(([name, value]) => [`data as ${name}`, value] as [string, unknown])]
  const properties = Object.keys(schema?.properties ?? {})
  for (const key of schema?.required ?? []) {
    const { [key]: _dropped, ...rest } = sample
    cases.push([`without required ${key}`, rest])
  }
  for (const key of properties) {
    for (const [name, value] of HOSTILE_VALUES) cases.push([`${key} as ${name}`, { ...sample, [key]: value }])
  }
  cases.push(['an unknown field', { ...sample, unexpectedField: 'x' }])
  return cases
}
