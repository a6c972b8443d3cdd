// `endo-vault rotate-key`: new service key, every credentials data key re-wrapped (service stopped).
import { startService } from '../core/service/start-service.js'
import { rotateServiceKey } from '../core/service/rotate-service-key.js'

export async function rotateKeyCommand (): Promise<void> {
  // Listens on loopback with free ports, so it cannot collide with anything while it works.
  const service = await startService({ host: '127.0.0.1', mqttPort: 0, httpPort: 0 })
  try {
    const result = await rotateServiceKey(service.endo, service.bus, service.config.dataDir, service.config.credentialsCacheSize)
    service.logger.info(result, `service key rotated: ${result.previousKeyId} → ${result.keyId}, ${result.rewrapped} credentials re-wrapped`)
  } finally {
    await service.close()
  }
}
