// The store's tables, composed from each domain's own table declarations.
import type { BusTables } from './tables/bus.js'
import type { EndoTables } from './tables/endo.js'
import type { VaultTables } from './tables/vault.js'
import type { OrganizationTables } from './tables/organizations.js'
import type { IntercoopTables } from './tables/intercoop.js'
import type { AclTables } from './tables/acl.js'

export interface Database extends BusTables, EndoTables, VaultTables, OrganizationTables, IntercoopTables, AclTables {}
