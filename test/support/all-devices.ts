// Every device the store holds, read page by page through the registry (tests look at all of them; the
// service itself never does on a request path).
import type { DeviceBus } from '../../src/core/bus/device-bus.js'
import type { DeviceDocument } from '../../src/core/bus/device.js'

export async function allDevices (bus: DeviceBus): Promise<DeviceDocument[]> {
  const devices: DeviceDocument[] = []
  for await (const device of bus.registry.every()) devices.push(device)
  return devices
}
