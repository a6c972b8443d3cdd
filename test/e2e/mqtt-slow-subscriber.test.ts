// Config `drainTimeout` (aedes drainTimeout): a subscriber that stops reading fills its socket, and every
// delivery to it then waits for 'drain'. aedes delivers at most `concurrency` (100) packets at a time, so
// enough stuck deliveries hold up everybody; after drainTimeout the slow client is cut off and delivery resumes.
// (Checked by hand: with drainTimeout 8000 the same flood keeps the other device's message for more than 5 s.)
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { startBusService } from '../support/bus-service.js'
import { connect, deliveredDuring, registerDevice, sendOverMqtt, v2 } from '../support/device-fixture.js'

const FLOOD_MESSAGES = 160 // more stuck deliveries than aedes' concurrency of 100
const FLOOD_BYTES = 200 * 1024 // small messages would all fit the socket buffers and never wait

/** Floods a device that stopped reading, then times a message between two other devices. */
async function floodThenMessageOthers (drainTimeout: number): Promise<{ elapsed: number, delivered: unknown[], slowWasDisconnected: Promise<void> }> {
  const service = await startBusService({ limits: { drainTimeout } })
  try {
    const open = v2({ 'message.from': ['*'] })
    const [slow, flooder, other, sender] = [await registerDevice(service, open), await registerDevice(service), await registerDevice(service, open), await registerDevice(service)]
    const [flooding, receiving, sending] = [await connect(service, flooder), await connect(service, other), await connect(service, sender)]
    const stalled = await connect(service, slow)
    const socket = stalled.client.stream as unknown as Socket
    socket.unpipe()
    socket.pause()
    const slowWasDisconnected = new Promise<void>(resolve => service.broker.aedes.on('clientDisconnect', client => { if (client.id === stalled.client.options.clientId) resolve() }))

    const blob = 'x'.repeat(FLOOD_BYTES)
    // QoS 1: once every PUBACK is back, every flood message has been routed and its delivery queued.
    await Promise.all(Array.from({ length: FLOOD_MESSAGES }, (_, i) => flooding.client.publishAsync('message', JSON.stringify({ devices: [slow.uuid], i, blob }), { qos: 1 })))
    const started = performance.now()
    const delivered = (await deliveredDuring(receiving, () => sendOverMqtt(sending, { devices: [other.uuid], ping: true }))).map(e => e.data.ping)
    const elapsed = performance.now() - started
    socket.destroy()
    for (const device of [flooding, receiving, sending]) await device.end()
    return { elapsed, delivered, slowWasDisconnected }
  } finally {
    await service.stop()
  }
}

describe('config drainTimeout: a subscriber that stops reading', () => {
  it('with drainTimeout 300 ms is disconnected, and the other devices get their messages at once', async () => {
    const { elapsed, delivered, slowWasDisconnected } = await floodThenMessageOthers(300)
    expect(delivered).toEqual([true])
    await slowWasDisconnected
    console.log(`slow subscriber, drainTimeout 300 ms: another device got its message ${elapsed.toFixed(0)} ms after the flood`)
    expect(elapsed).toBeLessThan(2000)
  })
})
