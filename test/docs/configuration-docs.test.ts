import fs from 'node:fs/promises'
import { configurationMarkdown, readmeWithLimits } from '../../scripts/gen-config-docs.js'
import { loadConfig } from '../../src/core/config.js'

describe('docs/configuration.md', () => {
  it('is what the configuration schema generates', async () => {
    expect(await fs.readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(configurationMarkdown())
  })
})

describe('README.md', () => {
  it('lists every limit with its default and variable, as the limits table generates it', async () => {
    const readme = await fs.readFile(new URL('../../README.md', import.meta.url), 'utf8')
    expect(readme).toBe(readmeWithLimits(readme))
  })
})

describe('a bad configuration value', () => {
  it('stops loading naming the option', () => {
    expect(() => loadConfig({}, { MQTT_PORT: 'not-a-port' })).toThrow(/mqttPort must be integer/)
  })

  it('stops loading when one limit cannot hold what another allows', () => {
    expect(() => loadConfig({}, { MAX_PAYLOAD_BYTES: String(8 * 1048576) })).toThrow(/limits.maxPendingOutputBytes must be at least limits.maxPayloadBytes \+ 64 KiB.*MQTT_MAX_PENDING_OUTPUT_BYTES/)
  })
})
