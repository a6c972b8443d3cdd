// Tables of the intercoop domain: the source side's consents and receipts, the target side's
// received data (sealed under its single-use token), seen nonces and withdrawal notices.

/** A previewed activation: binds a person, a peer's service, its field names and a hash of the values shown. */
export interface IntercoopConsentRow {
  id: string
  person: string
  peerid: string
  service: string
  /** Field names in transfer order, JSON array. */
  fields: string
  /** `hmac-sha256:<salt>:<mac>` over the canonical values (the values themselves are not stored). */
  values_hash: string
  privacy_policy_url: string
  peer_version: number | null
  /** previewed → sending → activated (back to previewed when the peer refuses). */
  state: string
  created_at: string
  expires_at: string
}

/** A consent receipt: what went to whom, under which policy, when; withdrawal state. */
export interface IntercoopReceiptRow {
  id: string
  consent_id: string
  person: string
  peerid: string
  service: string
  fields: string
  values_hash: string
  privacy_policy_url: string
  peer_version: number | null
  /** The nonce of the package sent (names the transfer in a withdrawal notice). */
  nonce: string
  activated_at: string
  withdrawn_at: string | null
  peer_notified_at: string | null
}

/** Data a peer sent us, AES-256-GCM under a key derived from the continuation token. */
export interface IntercoopReceivedDataRow {
  /** SHA-256 of the token, hex. */
  token_hash: string
  originpeer: string
  service: string | null
  nonce: string | null
  sealed: string
  received_at: string
  expires_at: string
}

/** Nonces of packages already accepted, kept until the package could no longer be accepted. */
export interface IntercoopSeenNonceRow {
  originpeer: string
  nonce: string
  /** null: the package had no expiry, so the nonce is kept for good. */
  keep_until: string | null
}

/** A peer told us a person withdrew the consent for a transfer (endo-vault extension). */
export interface IntercoopWithdrawalRow {
  originpeer: string
  withdrawn_nonce: string
  service: string | null
  received_at: string
}

export interface IntercoopTables {
  intercoop_consents: IntercoopConsentRow
  intercoop_receipts: IntercoopReceiptRow
  intercoop_received_data: IntercoopReceivedDataRow
  intercoop_seen_nonces: IntercoopSeenNonceRow
  intercoop_withdrawals: IntercoopWithdrawalRow
}
