// Tables of the vault domain (meeco-vault §3–§5). Zero-knowledge toward the store: slot values, verification
// keys, names given to connections and share keys are Cryppo ciphertext; keys to read them live in the owner's
// credentials envelope. `owner_id` is the vault user id: the owner's credentials device uuid.

/** A system template (owner_id null) or a person's own template; templates never change once created. */
export interface VaultTemplateRow {
  id: string
  owner_id: string | null
  name: string
  label: string
  description: string
  /** JSON array of `{name, label, slot_type_name}` in slot order. */
  slots: string
  created_at: string
}

/** An owner's item (own = 1) or a recipient's copy of a shared item (own = 0, share_id set). */
export interface VaultItemRow {
  id: string
  owner_id: string
  template_name: string
  name: string
  label: string
  own: number
  share_id: string | null
  /** For a copy: the owner's item id. */
  original_id: string | null
  /** 1 after the owner changed a shared item until its shares are pushed (Meeco's update_item_shares task). */
  shares_outdated: number
  created_at: string
  updated_at: string
}

export interface VaultSlotRow {
  id: string
  item_id: string
  owner_id: string
  name: string
  label: string
  slot_type_name: string
  ordinal: number
  /** Cryppo `Aes256Gcm…` under the owner's DEK (own items) or the share DEK (copies); null when empty. */
  encrypted_value: string | null
  /** The slot's 64-byte verification key, Cryppo-encrypted like the value. */
  encrypted_value_verification_key: string | null
  /** hex HMAC-SHA256(vvk, value), set by the owner only. */
  value_verification_hash: string | null
  /** For a copy: the owner's slot id. */
  original_id: string | null
  created_at: string
  updated_at: string
}

export interface VaultInvitationRow {
  id: string
  owner_id: string
  /** Keyed hash of the token; the token itself is shown once. */
  token_hash: string
  /** The name the inviter gives the invitee, under the inviter's DEK. */
  encrypted_recipient_name: string
  public_key: string
  keypair_id: string
  /** new, accepted, cancelled. Expiry is read from expires_at. */
  state: string
  connection_type: string | null
  /** JSON object or null. */
  integration_data: string | null
  expires_at: string | null
  created_at: string
  updated_at: string
}

/** One side of a connection: each party holds its own record (meeco-vault §4). */
export interface VaultConnectionRow {
  id: string
  owner_id: string
  other_user_id: string
  other_connection_id: string
  /** The name this owner gives the other party, under this owner's DEK. */
  encrypted_recipient_name: string
  public_key: string
  keypair_id: string
  other_public_key: string
  other_keypair_id: string
  invitation_id: string
  connection_type: string | null
  integration_data: string | null
  created_at: string
}

export interface VaultShareRow {
  id: string
  /** The original item's owner (who alone pushes updates). */
  owner_id: string
  sender_id: string
  recipient_id: string
  /** The original (owner's) item id; on-shares carry it too. */
  item_id: string
  /** The item the sender shared: the owner's item, or the on-sharer's copy. */
  sender_item_id: string
  /** The owner's slot id for a single-slot share; null for the whole item. */
  slot_id: string | null
  /** That slot's name, for showing the share. */
  slot_name: string | null
  /** The share an on-share was made from; null for the owner's shares. */
  parent_share_id: string | null
  connection_id: string
  recipient_connection_id: string
  /** The recipient's connection key, copied so updates can be wrapped for every share. */
  public_key: string
  keypair_id: string
  /** The share DEK as a Cryppo `Rsa<bits>` string, wrapped to public_key. */
  encrypted_dek: string
  /** acceptance_not_required, acceptance_required, accepted or rejected. */
  acceptance: string
  terms: string | null
  onsharing_permitted: number
  expires_at: string | null
  /** The recipient's copy; null once rejected. */
  received_item_id: string | null
  created_at: string
  updated_at: string
}

export interface VaultTables {
  vault_templates: VaultTemplateRow
  vault_items: VaultItemRow
  vault_slots: VaultSlotRow
  vault_invitations: VaultInvitationRow
  vault_connections: VaultConnectionRow
  vault_shares: VaultShareRow
}
