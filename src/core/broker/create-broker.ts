// The embedded MQTT broker: aedes with the hooks of this folder, a TCP listener with TCP_NODELAY
// (without it a QoS 1 request/response stalls ~44 ms on Nagle + delayed ACK) and MQTT over WebSocket.
import net from 'node:net'
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import type { Duplex } from 'node:stream'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'
import type { BrokerContext } from './broker-context.js'
import { authenticateHook } from './authenticate.js'
import { authorizePublishHook } from './authorize-publish.js'
import { authorizeSubscribeHook } from './authorize-subscribe.js'
import { authorizeForwardHook } from './authorize-forward.js'
import { trackDeviceChannels } from './device-channels.js'
import { forgetNarrowedOnUnsubscribe } from './narrowed-subscriptions.js'
import { guardPacketSize } from './packet-size-guard.js'
import { broadcastTopicOf } from './mqtt-session.js'
import { dropHandledRequests } from './handled-requests.js'

export interface BrokerOptions {
  /** ms a slow subscriber may hold up delivery before it is disconnected (aedes drainTimeout). */
  drainTimeout: number
}

export interface Broker {
  aedes: Aedes
  tcp: net.Server
  attachWebSocket: (server: HttpServer, path: string) => WebSocketServer
  close: () => Promise<void>
}

export async function createBroker (ctx: BrokerContext, options: BrokerOptions): Promise<Broker> {
  const aedes = await Aedes.createBroker({
    authenticate: authenticateHook(ctx),
    authorizePublish: authorizePublishHook(ctx),
    authorizeSubscribe: authorizeSubscribeHook(ctx),
    authorizeForward: authorizeForwardHook(ctx),
    drainTimeout: options.drainTimeout,
    maxClientsIdLength: 64,
  })
  ctx.broker = aedes
  dropHandledRequests(aedes)
  const stopDeviceChannels = trackDeviceChannels(ctx, aedes)
  const stopForgettingNarrowed = forgetNarrowedOnUnsubscribe(aedes)
  const stopBroadcasts = ctx.bus.router.onBroadcast((sender, payload) => {
    aedes.publish({ cmd: 'publish', topic: broadcastTopicOf(sender), payload: Buffer.from(JSON.stringify({ topic: 'message', data: payload })), qos: 1, retain: false, dup: false } as any, () => {})
  })
  aedes.on('clientError', (client, error) => ctx.logger.debug({ clientId: client?.id, err: error.message }, 'mqtt client error'))
  aedes.on('connectionError', (client, error) => ctx.logger.debug({ err: error.message }, 'mqtt connection error'))

  const maxPacketBytes = ctx.limits.maxPacketBytes
  const handle = (connection: net.Socket | Duplex, request?: IncomingMessage): void => {
    guardPacketSize(aedes.handle(connection as any, request as any), connection, maxPacketBytes)
  }
  const tcp = net.createServer({ noDelay: true }, socket => handle(socket))
  const webSocketServers: WebSocketServer[] = []

  return {
    aedes,
    tcp,
    attachWebSocket (server, path) {
      const wss = new WebSocketServer({ server, path })
      wss.on('connection', (ws, request) => {
        request.socket.setNoDelay(true)
        const stream = createWebSocketStream(ws)
        stream.on('error', () => stream.destroy())
        handle(stream, request)
      })
      webSocketServers.push(wss)
      return wss
    },
    async close () {
      stopBroadcasts()
      stopDeviceChannels()
      stopForgettingNarrowed()
      for (const wss of webSocketServers) {
        for (const ws of wss.clients) ws.terminate()
        await new Promise<void>(resolve => wss.close(() => resolve()))
      }
      await new Promise<void>(resolve => aedes.close(() => resolve()))
      await new Promise<void>(resolve => tcp.close(() => resolve()))
    },
  }
}
