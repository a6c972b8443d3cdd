// Every migration, in order. Each domain owns its own file; names sort in the order they run.
import type { Migration } from 'kysely'
import * as bus from './001-bus.js'
import * as endo from './002-endo.js'
import * as vault from './003-vault.js'
import * as organizations from './004-organizations.js'
import * as intercoop from './005-intercoop.js'
import * as acl from './006-acl.js'
import * as statusDevices from './007-status-devices.js'
import * as deviceFields from './008-device-fields.js'

export const migrations: Record<string, Migration> = {
  '001-bus': bus,
  '002-endo': endo,
  '003-vault': vault,
  '004-organizations': organizations,
  '005-intercoop': intercoop,
  '006-acl': acl,
  '007-status-devices': statusDevices,
  '008-device-fields': deviceFields,
}
