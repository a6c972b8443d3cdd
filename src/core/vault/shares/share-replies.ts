// Invitations, connections and shares as replies carry them (schemas/Invitation.json, Connection.json,
// Share.json): fields copied one by one; no user ids, keys, tokens or ciphertext.
import type { Connection, Invitation, Share } from '../../wire/schema-types.js'

export function invitationReply (invitation: Invitation): Invitation {
  return {
    ...(invitation.id === undefined ? {} : { id: invitation.id }),
    own: invitation.own,
    state: invitation.state,
    connection_type: invitation.connection_type,
    integration_data: invitation.integration_data,
    expires_at: invitation.expires_at,
    created_at: invitation.created_at,
  }
}

export function connectionReply (connection: Connection): Connection {
  return {
    id: connection.id,
    name: connection.name,
    connection_type: connection.connection_type,
    integration_data: connection.integration_data,
    created_at: connection.created_at,
  }
}

export function shareReply (share: Share): Share {
  return {
    id: share.id,
    direction: share.direction,
    item_id: share.item_id,
    label: share.label,
    slot_name: share.slot_name,
    connection_id: share.connection_id,
    acceptance: share.acceptance,
    terms: share.terms,
    onsharing_permitted: share.onsharing_permitted,
    on_share: share.on_share,
    expires_at: share.expires_at,
    created_at: share.created_at,
    updated_at: share.updated_at,
  }
}
