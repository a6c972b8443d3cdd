// `endo-vault init`: the first-run part of start, alone.
import path from 'node:path'
import { loadConfig } from '../core/config.js'
import { createLogger } from '../core/log.js'
import { openStore } from '../core/store/database.js'
import { DeviceBus } from '../core/bus/device-bus.js'
import { ensureServiceIdentity, identityFilePath, loadOrCreatePepper } from '../core/service/service-identity.js'
import { ensureIntercoopIdentity } from '../core/service/intercoop-identity.js'

export async function initCommand (): Promise<void> {
  const config = loadConfig()
  const logger = createLogger({ level: config.logLevel })
  const pepper = await loadOrCreatePepper(config.dataDir)
  const store = await openStore({ file: path.join(config.dataDir, 'endo-vault.db'), databaseUrl: config.databaseUrl })
  try {
    const bus = await DeviceBus.open(store, pepper, logger)
    const identity = await ensureServiceIdentity(bus, config.dataDir, pepper, { hostname: 'localhost', port: config.httpPort, mqttPort: config.mqttPort })
    logger.info(`service device ${identity.uuid}; configuration in ${identityFilePath(config.dataDir)}`)
    const intercoop = await ensureIntercoopIdentity(config, identity.uuid)
    logger.info(`intercoop descriptor in ${intercoop.descriptorFile} (complete it); key in ${intercoop.privateKeyFile}; peers in ${intercoop.peersDir}`)
  } finally {
    await store.destroy()
  }
}
