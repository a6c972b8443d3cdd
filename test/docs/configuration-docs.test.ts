import fs from 'node:fs/promises'
import { configurationMarkdown } from '../../scripts/gen-config-docs.js'
import { loadConfig } from '../../src/core/config.js'

describe('docs/configuration.md', () => {
  it('is what the configuration schema generates', async () => {
    expect(await fs.readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(configurationMarkdown())
  })
})

describe('a bad configuration value', () => {
  it('stops loading naming the option', () => {
    expect(() => loadConfig({}, { MQTT_PORT: 'not-a-port' })).toThrow(/mqttPort must be integer/)
  })
})
