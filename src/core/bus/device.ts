// The device document as stored and served (free-form JSON; the bus reads only a few fields).
export interface WhitelistEntry { uuid: string, [key: string]: unknown }

export interface DeviceDocument {
  uuid: string
  online?: boolean
  owner?: string
  type?: string
  meshblu?: {
    version?: string
    createdAt?: string
    updatedAt?: string
    updatedBy?: string
    hash?: string
    whitelists?: Record<string, Record<string, WhitelistEntry[] | undefined> | undefined>
    forwarders?: unknown
    [key: string]: unknown
  }
  [key: string]: unknown
}

/** Fields a client may never set or change through an update. */
export const PROTECTED_FIELDS = ['uuid', 'token'] as const

export function isV2 (device: DeviceDocument): boolean {
  return device.meshblu?.version === '2.0.0'
}
