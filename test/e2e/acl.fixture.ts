// Fixture of the ACL suites: two validated organizations with nodes, node item devices (their tokens
// kept, as the creation reply gives them once) and an organization vault item, the people who own them,
// and short verbs: `createToken` (CreateApiToken as a person), `postExternal` (POST /api/external/v1/*).
import type { ConfigOverrides } from '../../src/core/config.js'
import type { TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { expectCode, sendJobTo, startWithPlatformAdmin, validatedOrganization } from './organizations.fixture.js'

export interface DeviceCredentials { uuid: string, token: string }

export interface AclWorld {
  service: TestService
  admin: Person
  /** Owner of organization A. */
  alice: Person
  /** Admin of organization A. */
  bob: Person
  /** Owner of organization B; not a member of A. */
  carol: Person
  orgA: string
  orgB: string
  /** Nodes of A (n1, n2) and of B (nb). */
  n1: DeviceCredentials
  n2: DeviceCredentials
  nb: DeviceCredentials
  /** Items: i1a (alice's, on n1), i1b (bob's, on n1), i2 (alice's, on n2), ib (carol's, on nb). */
  i1a: DeviceCredentials
  i1b: DeviceCredentials
  i2: DeviceCredentials
  ib: DeviceCredentials
  /** A vault item of organization A's agent. */
  vaultItem: string
  end: () => Promise<void>
}

export interface IssuedToken { keyid: string, secret: string, view: any }

async function node (owner: Person, organizationId: string, name: string): Promise<DeviceCredentials> {
  const { node, token } = expectCode(await owner.sendJob('CreateOrganizationNode', { organization_id: organizationId, name }), 201)
  return { uuid: node.uuid, token }
}

async function item (owner: Person, organizationId: string, nodeUuid: string, name: string): Promise<DeviceCredentials> {
  const { item, token } = expectCode(await owner.sendJob('CreateOrganizationNodeItem', { organization_id: organizationId, node_uuid: nodeUuid, name }), 201)
  return { uuid: item.uuid, token }
}

export async function buildAclWorld (overrides: ConfigOverrides = {}): Promise<AclWorld> {
  const { service, admin } = await startWithPlatformAdmin({ vault: { connectionKeyBits: 2048 }, ...overrides, limits: { authAttemptsPerMinute: 1000, ...overrides.limits } })
  const alice = await onboardPerson(service, { username: 'alice' })
  const bob = await onboardPerson(service, { username: 'bob' })
  const carol = await onboardPerson(service, { username: 'carol' })
  const orgA = await validatedOrganization(alice, admin, 'Organization A')
  const orgB = await validatedOrganization(carol, admin, 'Organization B')
  const { invitation } = expectCode(await alice.sendJob('InviteMember', { organization_id: orgA, role: 'admin' }), 201)
  expectCode(await bob.sendJob('AcceptMemberInvitation', { token: invitation.token }), 201)

  const n1 = await node(alice, orgA, 'Gateway 1')
  const n2 = await node(alice, orgA, 'Gateway 2')
  const nb = await node(carol, orgB, 'Gateway B')
  const i1a = await item(alice, orgA, n1.uuid, 'Thermometer')
  const i1b = await item(bob, orgA, n1.uuid, 'Hygrometer')
  const i2 = await item(alice, orgA, n2.uuid, 'Meter')
  const ib = await item(carol, orgB, nb.uuid, 'B sensor')

  const login = expectCode(await alice.sendJob('LoginOrganizationAgent', { organization_id: orgA }), 200)
  const created = expectCode(await sendJobTo(alice, login.agent_device_uuid, 'CreateItem', { template_name: 'custom', label: 'Price list', slots: [{ name: 'price', value: '10' }] }), 201)
  expectCode(await alice.sendJob('LogoutOrganizationAgent', { organization_id: orgA }), 200)

  return {
    service, admin, alice, bob, carol, orgA, orgB, n1, n2, nb, i1a, i1b, i2, ib, vaultItem: created.item.id,
    async end () {
      for (const person of [admin, alice, bob, carol]) await person.end()
      await service.stop()
    },
  }
}

/** CreateApiToken as `person`; fails the test unless it is created. */
export async function createToken (person: Person, data: Record<string, unknown>): Promise<IssuedToken> {
  const created = expectCode(await person.sendJob('CreateApiToken', { name: 'token', ...data }), 201)
  return { keyid: created.api_token.keyid, secret: created.secret, view: created.api_token }
}

export interface ExternalAnswer { status: number, headers: Headers, text: string, body: any }

/** POST <httpUrl>/api/external/v1/<path> with a JSON body (or a raw string body and its content type). */
export async function postExternal (service: TestService, path: string, body: unknown, contentType = 'application/json'): Promise<ExternalAnswer> {
  const response = await fetch(`${service.httpUrl}/api/external/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown
  try { parsed = JSON.parse(text) } catch { parsed = undefined }
  return { status: response.status, headers: response.headers, text, body: parsed }
}
