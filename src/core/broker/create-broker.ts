// The embedded MQTT broker: aedes with the hooks of this folder, a TCP listener with TCP_NODELAY
// (without it a QoS 1 request/response stalls ~44 ms on Nagle + delayed ACK) and MQTT over WebSocket.
// Memory per connection and per session is bounded by the limits table: packet and WebSocket frame size,
// output backlog, session store (queues, QoS 2, subscriptions), session expiry, CONNECT deadline.
// What this needs of aedes beyond its declared API is in aedes-seams.ts, checked here once at start.
import net from 'node:net'
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import type { Duplex } from 'node:stream'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'
import type { BrokerContext } from './broker-context.js'
import { MAX_CLIENT_ID_LENGTH, authenticateHook } from './authenticate.js'
import { authorizePublishHook } from './authorize-publish.js'
import { authorizeSubscribeHook } from './authorize-subscribe.js'
import { authorizeForwardHook } from './authorize-forward.js'
import { trackDeviceChannels } from './device-channels.js'
import { forgetNarrowedOnUnsubscribe } from './narrowed-subscriptions.js'
import { SINK_TOPIC, broadcastTopicOf } from './mqtt-session.js'
import { BoundedSessionStore } from './bounded-session-store.js'
import { expireSessions, type SessionExpiry } from './session-expiry.js'
import { cutOffBackloggedClients } from './output-backlog.js'
import { AEDES_VERSION, aedesVersionOf, allowOutputBacklog, checkAedesSeams, guardPacketSize, replacePersistence, skipPublishPipeline } from './aedes-seams.js'
import { countUnsubscribes } from './subscription-count.js'
import { releaseHeldEmitters } from './held-emitters.js'
import { LiveSessions } from './live-sessions.js'

export interface BrokerOptions {
  /** ms a slow subscriber may hold up delivery before it is disconnected (aedes drainTimeout). */
  drainTimeout: number
  /**
   * Cluster mode (service/cluster.ts): aedes' emitter and session store in Redis. Deliveries for devices not
   * connected here are then published too, for the instance they are connected to.
   */
  cluster?: { mq: unknown, persistence: unknown }
}

export interface Broker {
  aedes: Aedes
  /** aedes' session store, bounded (queue sizes, QoS 2 awaiting PUBREL, stored subscriptions). */
  sessions: BoundedSessionStore
  /** Tells when a persistent session expires (its client id is free again then). */
  sessionExpiry: SessionExpiry
  tcp: net.Server
  attachWebSocket: (server: HttpServer, path: string) => WebSocketServer
  close: () => Promise<void>
}

export async function createBroker (ctx: BrokerContext, options: BrokerOptions): Promise<Broker> {
  const liveSessions = new LiveSessions(() => ctx.broker, ctx.logger, ctx.limits.sessionExpirySeconds) // credentials reach live sessions
  const aedes = await Aedes.createBroker({
    authenticate: authenticateHook(ctx, liveSessions),
    authorizePublish: liveSessions.notingResetRequests(authorizePublishHook(ctx)),
    authorizeSubscribe: authorizeSubscribeHook(ctx),
    authorizeForward: cutOffBackloggedClients(authorizeForwardHook(ctx), ctx.limits.maxPendingOutputBytes, ctx.logger, ctx.limits.clientStringMaxChars),
    drainTimeout: options.drainTimeout,
    connectTimeout: ctx.limits.connectTimeout,
    maxInflightInbound: ctx.limits.maxInflightQos2,
    maxClientsIdLength: MAX_CLIENT_ID_LENGTH,
    ...(options.cluster === undefined ? {} : { mq: options.cluster.mq, persistence: options.cluster.persistence }),
  } as Parameters<typeof Aedes.createBroker>[0])
  checkAedesSeams(aedes)
  if (aedesVersionOf(aedes) !== AEDES_VERSION) ctx.logger.warn({ running: aedesVersionOf(aedes), checked: AEDES_VERSION }, 'aedes is not the version its seams were checked against (src/core/broker/aedes-seams.ts)')
  ctx.broker = aedes
  // The store aedes set up (its in-memory default), wrapped before any client can connect.
  const sessions = replacePersistence(aedes, inner => new BoundedSessionStore(inner, ctx.limits, ctx.logger))
  const sessionExpiry = expireSessions(aedes, sessions, ctx.limits.sessionExpirySeconds, ctx.logger, ctx.limits.clientStringMaxChars)
  const stopCountingUnsubscribes = countUnsubscribes(aedes)
  const stopReleasingEmitters = releaseHeldEmitters(aedes)
  // API requests are handled in authorizePublish and retargeted to the sink: aedes' publish pipeline is skipped for them.
  skipPublishPipeline(aedes, SINK_TOPIC)
  const stopDeviceChannels = trackDeviceChannels(ctx, aedes, options.cluster !== undefined)
  const stopEndingSessions = liveSessions.follow(ctx.bus)
  const stopForgettingNarrowed = forgetNarrowedOnUnsubscribe(aedes, sessions)
  const stopBroadcasts = ctx.bus.router.onBroadcast((sender, payload) => {
    aedes.publish({ cmd: 'publish', topic: broadcastTopicOf(sender), payload: Buffer.from(JSON.stringify({ topic: 'message', data: payload })), qos: 1, retain: false, dup: false }, () => {})
  })
  aedes.on('clientError', (client, error) => ctx.logger.debug({ clientId: client?.id, err: error.message }, 'mqtt client error'))
  aedes.on('connectionError', (client, error) => ctx.logger.debug({ err: error.message }, 'mqtt connection error'))

  const maxPacketBytes = ctx.limits.maxPacketBytes
  const handle = (connection: net.Socket | Duplex, request?: IncomingMessage): void => {
    guardPacketSize(aedes.handle(connection, request), connection, maxPacketBytes)
  }
  const tcp = net.createServer({ noDelay: true }, socket => {
    allowOutputBacklog(socket, ctx.limits.maxPendingOutputBytes)
    handle(socket)
  })
  const webSocketServers: WebSocketServer[] = []

  return {
    aedes,
    sessions,
    sessionExpiry,
    tcp,
    attachWebSocket (server, path) {
      // maxPayload: ws refuses (close 1009) a frame announcing more, before buffering it; an MQTT packet
      // spread over several frames meets guardPacketSize like one over TCP.
      const wss = new WebSocketServer({ server, path, maxPayload: maxPacketBytes })
      wss.on('connection', (ws, request) => {
        request.socket.setNoDelay(true)
        // A client that broke the protocol (a frame over maxPayload) is cut at once; by default ws would read
        // and discard whatever it keeps sending for its 30 s closing handshake.
        ws.on('error', () => ws.terminate())
        const stream = createWebSocketStream(ws, { writableHighWaterMark: ctx.limits.maxPendingOutputBytes })
        stream.on('error', () => stream.destroy())
        handle(stream, request)
      })
      webSocketServers.push(wss)
      return wss
    },
    async close () {
      stopBroadcasts()
      stopDeviceChannels()
      stopEndingSessions()
      stopForgettingNarrowed()
      stopCountingUnsubscribes()
      stopReleasingEmitters()
      sessionExpiry.stop()
      for (const wss of webSocketServers) {
        for (const ws of wss.clients) ws.terminate()
        await new Promise<void>(resolve => wss.close(() => resolve()))
      }
      // a Redis session store unsubscribes through aedes' emitter: destroyed while the emitter is open (aedes
      // closes the emitter, never the store)
      if (options.cluster !== undefined) await sessions.destroy()
      await new Promise<void>(resolve => aedes.close(() => resolve()))
      await new Promise<void>(resolve => tcp.close(() => resolve()))
    },
  }
}
