// Tables of the device bus: devices, token hashes, subscriptions.
export interface DeviceRow {
  uuid: string
  /** The device document as JSON (never holds a token). */
  document: string
  created_at: string
  updated_at: string
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
  tokens: TokenRow
  subscriptions: SubscriptionRow
}
