// Attacks on API tokens (issue 8): guessing, reusing dead secrets, reaching past the ACL over HTTP and MQTT,
// and making or managing tokens without the role. The permission suite's service has no platform admin,
// so organizations are validated the way ValidateOrganization would leave them, straight in the store.
import { randomUUID } from 'node:crypto'
import type { TestService } from '../../support/test-service.js'
import { onboardPerson, type Person } from '../../support/person.js'
import { connackCode, connectDevice, SUBACK_FAILURE } from '../../support/mqtt-device.js'
import { httpStatus, refusedStatus, type Attack } from './attack.js'

const reply = async (person: Person, jobType: string, data: unknown): Promise<any> => (await person.sendJob(jobType, data))
const ok = async (person: Person, jobType: string, data: unknown): Promise<any> => {
  const answer = await reply(person, jobType, data)
  if (answer.metadata?.code >= 300) throw new Error(`${jobType}: ${answer.metadata.code} ${answer.metadata.error?.message}`)
  return answer.data
}

async function validatedOrganization (service: TestService, owner: Person, admins: Person[] = []): Promise<string> {
  const { organization } = await ok(owner, 'CreateOrganization', { name: `Org ${randomUUID().slice(0, 6)}` })
  const now = new Date().toISOString()
  await service.store.updateTable('organizations').set({ status: 'validated', reviewed_at: now }).where('id', '=', organization.id).execute()
  for (const [person, role] of [[owner, 'owner'], ...admins.map(a => [a, 'admin'])] as Array<[Person, 'owner' | 'admin']>) {
    await service.store.insertInto('organization_members').values({
      id: randomUUID(), organization_id: organization.id, credentials_uuid: person.credentialsUuid, role, name: null, connection_id: null, created_at: now, updated_at: now,
    }).execute()
  }
  return organization.id
}

export async function aclAttacks (service: TestService): Promise<Attack[]> {
  const owner = await onboardPerson(service, { username: 'acl-owner' })
  const admin = await onboardPerson(service, { username: 'acl-admin' })
  const stranger = await onboardPerson(service, { username: 'acl-stranger' })
  const orgId = await validatedOrganization(service, owner, [admin])
  const otherOrgId = await validatedOrganization(service, stranger)
  const node = await ok(owner, 'CreateOrganizationNode', { organization_id: orgId, name: 'gw' })
  const otherNode = await ok(owner, 'CreateOrganizationNode', { organization_id: orgId, name: 'gw2' })
  const foreignNode = await ok(stranger, 'CreateOrganizationNode', { organization_id: otherOrgId, name: 'foreign gw' })
  const inside = await ok(owner, 'CreateOrganizationNodeItem', { organization_id: orgId, node_uuid: node.node.uuid, name: 'inside' })
  const outside = await ok(owner, 'CreateOrganizationNodeItem', { organization_id: orgId, node_uuid: otherNode.node.uuid, name: 'outside' })
  const newToken = async (): Promise<{ keyid: string, secret: string }> => {
    const created = await ok(owner, 'CreateApiToken', { organization_id: orgId, name: 'attacked', acl: { agid: [node.node.uuid] } })
    return { keyid: created.api_token.keyid, secret: created.secret }
  }
  const token = await newToken()
  const revoked = await newToken()
  await ok(owner, 'RevokeApiToken', { organization_id: orgId, keyid: revoked.keyid })
  const expired = await newToken()
  await service.store.updateTable('api_tokens').set({ expires_at: '2001-01-01T00:00:00.000Z' }).where('keyid', '=', expired.keyid).execute()
  const rotated = await newToken()
  await ok(owner, 'RotateApiTokenSecret', { organization_id: orgId, keyid: rotated.keyid, grace_seconds: 0 })

  const auth = async (body: unknown): Promise<number> => await httpStatus(`${service.httpUrl}/api/external/v1/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const jobRefused = async (person: Person, jobType: string, data: unknown): Promise<boolean> => refusedStatus((await reply(person, jobType, data)).metadata?.code)
  const asToken = async <T>(use: (session: Awaited<ReturnType<typeof connectDevice>>) => Promise<T>): Promise<T> => {
    const session = await connectDevice(service.mqttPort, token.keyid, token.secret, { subscribe: false })
    try { return await use(session) } finally { await session.end() }
  }

  return [
    { name: 'authenticating with a key id that does not exist', attempt: async () => refusedStatus(await auth({ keyid: randomUUID(), secret: token.secret })) },
    { name: 'authenticating with a real key id and a guessed secret', attempt: async () => refusedStatus(await auth({ keyid: token.keyid, secret: 'guessed' })) },
    { name: 'using an API token after it was revoked', attempt: async () => refusedStatus(await auth(revoked)) },
    { name: 'using an API token past its expiry', attempt: async () => refusedStatus(await auth(expired)) },
    { name: 'using the old secret after a rotation without grace', attempt: async () => refusedStatus(await auth(rotated)) },
    { name: 'logging in to MQTT with an API token\'s key id and a wrong secret', attempt: async () => (await connackCode(service.mqttPort, token.keyid, 'wrong')) === 4 },
    {
      name: 'an API token publishing a message to a device it can read',
      attempt: async () => {
        const target = await connectDevice(service.mqttPort, inside.item.uuid, inside.token)
        const session = await connectDevice(service.mqttPort, token.keyid, token.secret, { subscribe: false })
        session.client.on('error', () => {})
        session.client.publish('message', JSON.stringify({ devices: [inside.item.uuid], data: { forged: 'acl-attack' } }), { qos: 1 })
        const none = await target.nothingWithin(300, e => JSON.stringify(e).includes('acl-attack'))
        await session.end(); await target.end()
        return none
      },
    },
    { name: 'an API token subscribing to the broadcasts of a device outside its ACL', attempt: async () => await asToken(async s => (await s.subscribeCode(`${outside.item.uuid}/broadcast`)) === SUBACK_FAILURE) },
    { name: 'an API token subscribing to a device\'s whole topic outside its ACL', attempt: async () => await asToken(async s => (await s.subscribeCode(outside.item.uuid)) === SUBACK_FAILURE) },
    { name: 'an API token subscribing to every broadcast with a wildcard', attempt: async () => await asToken(async s => (await s.subscribeCode('+/broadcast')) === SUBACK_FAILURE) },
    { name: 'an admin creating an organization-level API token', attempt: async () => await jobRefused(admin, 'CreateApiToken', { organization_id: orgId, name: 'x', acl: { cid: [orgId] } }) },
    { name: 'a non-member creating an API token for an organization', attempt: async () => await jobRefused(stranger, 'CreateApiToken', { organization_id: orgId, name: 'x', acl: { agid: [node.node.uuid] } }) },
    { name: 'naming another organization\'s node in an API token\'s ACL', attempt: async () => await jobRefused(owner, 'CreateApiToken', { organization_id: orgId, name: 'x', acl: { agid: [foreignNode.node.uuid] } }) },
    { name: 'revoking another organization\'s API token', attempt: async () => await jobRefused(stranger, 'RevokeApiToken', { organization_id: otherOrgId, keyid: token.keyid }) },
    {
      name: 'asking /authorize about a node outside the API token\'s ACL',
      attempt: async () => {
        const response = await fetch(`${service.httpUrl}/api/external/v1/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...token, resource: foreignNode.node.uuid, grantType: 'dataAccess' }) })
        return ((await response.json()) as { allowed?: unknown }).allowed === false
      },
    },
    { name: 'reading an API token\'s secret through ListApiTokens', attempt: async () => !JSON.stringify(await ok(owner, 'ListApiTokens', { organization_id: orgId })).includes(token.secret) },
  ]
}
