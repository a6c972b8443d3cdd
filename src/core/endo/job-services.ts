// The domain services jobs may call, built once at start. Each domain adds its entry here.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'

export interface JobServices {
  bus: DeviceBus
  store: Store
  config: Readonly<Config>
  logger: Logger
  serviceUuid: string
}
