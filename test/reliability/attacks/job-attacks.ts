// Attacks on the job path: reaching someone else's jobs, credentials or service device.
import { randomUUID } from 'node:crypto'
import type { TestService } from '../../support/test-service.js'
import { onboardPerson } from '../../support/person.js'
import { connectDevice } from '../../support/mqtt-device.js'
import { basic, httpStatus, refusedStatus, type Attack } from './attack.js'

export async function jobAttacks (service: TestService): Promise<Attack[]> {
  const victim = await onboardPerson(service, { username: 'victim' })
  const attacker = await onboardPerson(service, { username: 'attacker' })
  const stranger = await service.bus.register({})
  const url = service.httpUrl

  /** True when a job sent this way is never answered. */
  const unanswered = async (send: (respondTo: string) => Promise<void>): Promise<boolean> => {
    const respondTo = randomUUID()
    await send(respondTo)
    return await attacker.flow.nothingWithin(300, e => e.data?.metadata?.to === respondTo)
  }
  const job = (to: string, respondTo: string): string => JSON.stringify({ devices: [to], metadata: { jobType: 'Echo', respondTo }, data: { text: 'x' } })

  return [
    {
      name: 'sending a job to another person\'s user device',
      attempt: async () => await unanswered(async r => { await attacker.flow.client.publishAsync('message', job(victim.user.uuid, r), { qos: 1 }) }),
    },
    {
      name: 'sending a job straight to another person\'s credentials device',
      attempt: async () => await unanswered(async r => { await attacker.flow.client.publishAsync('message', job(victim.credentialsUuid, r), { qos: 1 }) }),
    },
    {
      name: 'sending a job straight to the service device',
      attempt: async () => await unanswered(async r => { await attacker.flow.client.publishAsync('message', job(service.identity.uuid, r), { qos: 1 }) }),
    },
    {
      name: 'sending a job as another person\'s user device',
      attempt: async () => refusedStatus(await httpStatus(`${url}/messages`, { method: 'POST', headers: basic(attacker.user.uuid, attacker.user.token, { 'x-meshblu-as': victim.user.uuid }), body: job(victim.user.uuid, 'r') })),
    },
    {
      name: 'a stranger device sending a job to a user device',
      attempt: async () => {
        const device = await connectDevice(service.mqttPort, stranger.device.uuid, stranger.token)
        const respondTo = randomUUID()
        await device.client.publishAsync('message', job(victim.user.uuid, respondTo), { qos: 1 })
        const none = await device.nothingWithin(300, e => e.data?.metadata?.to === respondTo)
        await device.end()
        return none
      },
    },
    {
      name: 'reading another person\'s credentials device over HTTP',
      attempt: async () => refusedStatus(await httpStatus(`${url}/v2/devices/${victim.credentialsUuid}`, { headers: basic(attacker.user.uuid, attacker.user.token) })),
    },
    {
      name: 'listing another person\'s user devices through /credentials',
      attempt: async () => (await httpStatus(`${url}/credentials/${victim.credentialsUuid}/user-devices`, { headers: basic(attacker.user.uuid, attacker.user.token) })) === 404,
    },
    {
      name: 'creating a user device on another person\'s credentials',
      attempt: async () => (await httpStatus(`${url}/credentials/${victim.credentialsUuid}/user-devices`, { method: 'POST', headers: basic(attacker.user.uuid, attacker.user.token), body: '{}' })) === 404,
    },
    {
      name: 'subscribing to another person\'s user device to read the jobs it gets',
      attempt: async () => {
        const spy = await connectDevice(service.mqttPort, attacker.user.uuid, attacker.user.token)
        try {
          // Creating the subscription only needs rights on the subscriber (meshblu-endo §1.6); delivery checks the emitter.
          await httpStatus(`${url}/v2/devices/${attacker.user.uuid}/subscriptions/${victim.user.uuid}/message.received`, { method: 'POST', headers: basic(attacker.user.uuid, attacker.user.token) })
          await httpStatus(`${url}/v2/devices/${attacker.user.uuid}/subscriptions/${attacker.user.uuid}/message.received`, { method: 'POST', headers: basic(attacker.user.uuid, attacker.user.token) })
          await victim.sendJob('Echo', { text: 'private' })
          return await spy.nothingWithin(200, e => JSON.stringify(e).includes('private'))
        } finally { await spy.end() }
      },
    },
    {
      name: 'changing another person\'s user device whitelist to admit your flow',
      attempt: async () => refusedStatus(await httpStatus(`${url}/v2/devices/${victim.user.uuid}`, { method: 'PUT', headers: basic(attacker.user.uuid, attacker.user.token), body: JSON.stringify({ $addToSet: { 'meshblu.whitelists.message.from': { uuid: attacker.flow.uuid } } }) })),
    },
  ]
}
