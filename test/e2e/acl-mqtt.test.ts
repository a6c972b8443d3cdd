// MQTT logins with an API token (username = keyid, password = secret): read-only sessions that may
// subscribe to the broadcasts of devices their ACL reaches and to nothing else, may not publish, and
// lose what they receive once the token is revoked (issue 8 "HTTP for third-party services", last point).
import { connackCode, connectDevice, SUBACK_FAILURE, type MqttDevice } from '../support/mqtt-device.js'
import { expectCode } from './organizations.fixture.js'
import { buildAclWorld, createToken, type AclWorld, type IssuedToken } from './acl.fixture.js'

const GRANTED_QOS_1 = 1

describe('an MQTT session with an API token', () => {
  let world: AclWorld
  let token: IssuedToken
  let session: MqttDevice
  let inside: MqttDevice
  let outside: MqttDevice
  let gateway: MqttDevice

  const broadcast = async (device: MqttDevice, data: Record<string, unknown>): Promise<void> => {
    await device.client.publishAsync('message', JSON.stringify({ devices: ['*'], data }), { qos: 1 })
  }
  const carrying = (marker: string) => (e: { data: unknown }) => JSON.stringify(e.data).includes(marker)

  beforeAll(async () => {
    world = await buildAclWorld()
    token = await createToken(world.bob, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
    inside = await connectDevice(world.service.mqttPort, world.i1a.uuid, world.i1a.token)
    outside = await connectDevice(world.service.mqttPort, world.i2.uuid, world.i2.token)
    gateway = await connectDevice(world.service.mqttPort, world.n1.uuid, world.n1.token)
    session = await connectDevice(world.service.mqttPort, token.keyid, token.secret, { subscribe: false })
  }, 120_000)
  afterAll(async () => {
    for (const device of [session, inside, outside, gateway]) await device?.end()
    await world?.end()
  })

  it('may subscribe to the broadcasts of a device its ACL reaches, and to nothing else', async () => {
    expect(await session.subscribeCode(`${world.i1a.uuid}/broadcast`)).toBe(GRANTED_QOS_1)
    expect(await session.subscribeCode(`${world.n1.uuid}/broadcast`)).toBe(GRANTED_QOS_1)
    expect(await session.subscribeCode(`${world.i2.uuid}/broadcast`)).toBe(SUBACK_FAILURE)
    expect(await session.subscribeCode(`${world.ib.uuid}/broadcast`)).toBe(SUBACK_FAILURE)
    expect(await session.subscribeCode(world.i2.uuid)).toBe(SUBACK_FAILURE)
    expect(await session.subscribeCode(token.keyid)).toBe(SUBACK_FAILURE)
    expect(await session.subscribeCode('#')).toBe(SUBACK_FAILURE)
    expect(await session.subscribeCode('+/broadcast')).toBe(SUBACK_FAILURE)
  })

  it('receives a broadcast from a device inside its ACL and nothing from one outside it', async () => {
    await session.subscribeCode(`${world.i2.uuid}/broadcast`) // refused, tried anyway
    await broadcast(outside, { reading: 'outside-1' })
    await broadcast(inside, { reading: 'inside-1' })
    const received = await session.next(carrying('inside-1'))
    expect(received).toMatchObject({ topic: 'message', data: { fromUuid: world.i1a.uuid, data: { reading: 'inside-1' } } })
    expect(await session.nothingWithin(300, carrying('outside-1'))).toBe(true)
  })

  it('receives the broadcasts of its node too', async () => {
    await broadcast(gateway, { reading: 'gateway-1' })
    expect((await session.next(carrying('gateway-1'))).data.fromUuid).toBe(world.n1.uuid)
  })

  it('reaches an item created on its node after it logged in', async () => {
    const { item, token: itemToken } = expectCode(await world.alice.sendJob('CreateOrganizationNodeItem', { organization_id: world.orgA, node_uuid: world.n1.uuid, name: 'Late sensor' }), 201)
    let code = SUBACK_FAILURE
    for (let i = 0; i < 20 && code === SUBACK_FAILURE; i++) {
      code = await session.subscribeCode(`${item.uuid}/broadcast`)
      if (code === SUBACK_FAILURE) await new Promise(resolve => setTimeout(resolve, 50))
    }
    expect(code).toBe(GRANTED_QOS_1)
    const late = await connectDevice(world.service.mqttPort, item.uuid, itemToken)
    await broadcast(late, { reading: 'late-1' })
    expect((await session.next(carrying('late-1'))).data.fromUuid).toBe(item.uuid)
    await late.end()
  })

  it('may not publish: a message it sends reaches nobody and its connection is closed', async () => {
    const publisher = await connectDevice(world.service.mqttPort, token.keyid, token.secret, { subscribe: false })
    publisher.client.on('error', () => {})
    // Not awaited: mqtt.js keeps a QoS 1 publication pending for a reconnect that never comes.
    publisher.client.publish('message', JSON.stringify({ devices: [world.i1a.uuid], data: { command: 'publish-1' } }), { qos: 1 })
    await publisher.closed
    expect(await inside.nothingWithin(300, carrying('publish-1'))).toBe(true)
    await publisher.end()
  })

  it('is refused with a wrong secret, and to a token without the dataAccess grant (CONNACK 4)', async () => {
    expect(await connackCode(world.service.mqttPort, token.keyid, 'wrong')).toBe(4)
    const apEditOnly = await createToken(world.alice, { organization_id: world.orgA, grant_types: ['apEdit'], acl: { agid: [world.n1.uuid] } })
    expect(await connackCode(world.service.mqttPort, apEditOnly.keyid, apEditOnly.secret)).toBe(4)
  })

  it('receives nothing more once its token is revoked, and cannot log in again', async () => {
    expectCode(await world.bob.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: token.keyid }), 200)
    await broadcast(inside, { reading: 'after-revocation' })
    expect(await session.nothingWithin(300, carrying('after-revocation'))).toBe(true)
    expect(await connackCode(world.service.mqttPort, token.keyid, token.secret)).toBe(4)
  })
})
