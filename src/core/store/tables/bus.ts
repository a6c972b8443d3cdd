// Tables of the device bus: devices, token hashes, subscriptions.
export interface DeviceRow {
  uuid: string
  /** The device document as JSON (never holds a token). */
  document: string
  created_at: string
  updated_at: string
}

/**
 * One string a device holds in an indexed field (device-field-values.ts): searches on those fields and the
 * lookups by them read these rows, newest device first, instead of every document.
 */
export interface DeviceFieldRow {
  field: string
  value: string
  /** The device's created_at (pages are newest first). */
  created_at: string
  uuid: string
}

export interface TokenRow {
  uuid: string
  /** HMAC-SHA256(pepper, uuid:token), hex. */
  hashed_token: string
  root: number
  /** Token metadata as JSON (`{}` when none). */
  metadata: string
  created_at: string
  expires_on: string | null
}

export interface SubscriptionRow {
  subscriber_uuid: string
  emitter_uuid: string
  type: string
  created_at: string
}

export interface BusTables {
  devices: DeviceRow
  device_fields: DeviceFieldRow
  tokens: TokenRow
  subscriptions: SubscriptionRow
}
