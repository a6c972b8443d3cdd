// Writes docs/configuration.md from the configuration schema (src/core/config.ts); a test catches drift.
import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { CONFIG_SCHEMA } from '../src/core/config.js'

type Option = { type?: string, default?: unknown, description?: string, 'x-env'?: string, properties?: Record<string, Option>, enum?: readonly string[] }

function rows (properties: Record<string, Option>, prefix = ''): string[] {
  const lines: string[] = []
  for (const [key, option] of Object.entries(properties)) {
    if (option.type === 'object' && option.properties !== undefined) { lines.push(...rows(option.properties, `${prefix}${key}.`)); continue }
    const type = option.enum === undefined ? option.type ?? '' : option.enum.join(' \\| ')
    lines.push(`| \`${option['x-env'] ?? ''}\` | \`${prefix}${key}\` | ${type} | \`${JSON.stringify(option.default)}\` | ${option.description ?? ''} |`)
  }
  return lines
}

export function configurationMarkdown (): string {
  return [
    '# Configuration',
    '',
    'Generated from `src/core/config.ts` by `node --import tsx scripts/gen-config-docs.ts`; do not edit by hand.',
    'Every option is read from its environment variable, validated at start (a bad value stops the service naming the option), then frozen.',
    '',
    '| Environment | Option | Type | Default | What it is for |',
    '| --- | --- | --- | --- | --- |',
    ...rows(CONFIG_SCHEMA.properties as Record<string, Option>),
    '',
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await fs.writeFile(new URL('../docs/configuration.md', import.meta.url), configurationMarkdown())
}
