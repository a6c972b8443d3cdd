// What GET /metrics shows of one instance, in Prometheus' text format (prom-client), for operators (issue 20,
// "Operability"). Every value that already exists somewhere (connections, held devices, lookups, routed
// messages, refreshes, failed queries, jobs running) is read at scrape time; only jobs are counted as they end
// (job-stats.ts). prom-client is loaded by the first scrape, not at start (~30 ms of a ~420 ms start, measured).
// Labels are bounded: a jobType the catalog knows (else "unknown"), an HTTP-like code, fixed outcome names;
// never a uuid, a token or a string a client sent.
import type { Counter, Gauge, Metric, Registry } from 'prom-client'
import type { DeviceBus } from '../bus/device-bus.js'
import type { Broker } from '../broker/create-broker.js'
import type { Store } from '../store/database.js'
import { failedQueries } from '../store/query-errors.js'
import type { JobRunner } from '../endo/job-runner.js'
import type { TokenRefresher } from '../endo/oauth/token-refresher.js'
import { JobStats } from './job-stats.js'

type PromClient = typeof import('prom-client')

export interface MetricSources {
  bus: DeviceBus
  broker: Broker
  store: Store
  runner: JobRunner
  tokenRefresher?: TokenRefresher
}

export interface ServiceMetrics {
  /** The exposition of this instance and its content type. */
  scrape: () => Promise<{ contentType: string, text: string }>
}

let processMetrics: Registry | undefined

/**
 * The process' own metrics (CPU, memory, GC, handles, event-loop delay from monitorEventLoopDelay), made once
 * per process: prom-client starts an event-loop monitor and a GC observer for them and never stops either, so
 * several services in one process (tests) share them. The event-loop figures cover the time since the first scrape.
 */
function processMetricsOnce (client: PromClient): Registry {
  if (processMetrics === undefined) {
    processMetrics = new client.Registry()
    client.collectDefaultMetrics({ register: processMetrics })
  }
  return processMetrics
}

/** A counter showing running totals kept elsewhere, one series per key of what `read` returns. */
function totals (client: PromClient, name: string, help: string, label: string, read: () => Record<string, number>): Counter {
  return new client.Counter({
    name, help, labelNames: [label], registers: [],
    collect () {
      this.reset()
      for (const [value, total] of Object.entries(read())) this.inc({ [label]: value }, total)
    },
  })
}

/** A gauge set from `read` at scrape time. */
function reading (client: PromClient, name: string, help: string, read: () => number): Gauge {
  return new client.Gauge({ name, help, registers: [], collect () { this.set(read()) } })
}

/**
 * The job histogram as a metric prom-client's registry formats: what a Registry reads of a metric is its
 * name, type and get() (its samples). The operability suite's histogram lines catch a prom-client that reads more.
 */
function jobHistogram (jobs: JobStats): Metric {
  const name = 'endo_vault_job_duration_seconds'
  const help = 'Job duration, from the message reaching the runner to its reply being published, by jobType.'
  const metric = { name, help, type: 'histogram', aggregator: 'sum', get: async () => ({ ...metric, values: jobs.histogramSamples(name) }) }
  return metric as unknown as Metric
}

async function registryOf (sources: MetricSources, jobs: JobStats): Promise<Registry> {
  const client = await import('prom-client')
  const { bus, broker, store, runner, tokenRefresher } = sources
  const lookups = bus.registry.lookups
  const own = new client.Registry()
  const metrics: Metric[] = [
    reading(client, 'endo_vault_mqtt_connections', 'MQTT connections open now (TCP and WebSocket).', () => broker.aedes.connectedClients),
    reading(client, 'endo_vault_devices_held', 'Device documents held in memory: connected devices and the bounded cache (DEVICE_CACHE_SIZE).', () => bus.registry.heldCount),
    totals(client, 'endo_vault_device_lookups_total', 'Device lookups by where they were answered: memory, or one read of the store.', 'answered_from',
      () => ({ memory: lookups.held, store: lookups.read })),
    reading(client, 'endo_vault_device_cache_hit_ratio', 'Share of device lookups answered from memory since start (NaN before the first).',
      () => lookups.held + lookups.read === 0 ? Number.NaN : lookups.held / (lookups.held + lookups.read)),
    totals(client, 'endo_vault_messages_total', 'Messages routed: delivered to a listener, or refused by the recipient\'s message.from whitelist.', 'outcome',
      () => ({ delivered: bus.router.counts.delivered, refused: bus.router.counts.refused })),
    totals(client, 'endo_vault_oauth_refreshes_total', 'Provider access-token refreshes by outcome (none without an OAuth provider).', 'outcome',
      () => tokenRefresher?.outcomes ?? {}),
    new client.Counter({ name: 'endo_vault_store_errors_total', help: 'Store queries that failed (SQLite or PostgreSQL), a connection that could not be had included.', registers: [], collect () { this.reset(); this.inc(failedQueries(store)) } }),
    reading(client, 'endo_vault_jobs_in_flight', 'Jobs running now.', () => runner.inFlight),
    new client.Counter({
      name: 'endo_vault_jobs_total', help: 'Jobs ended, by jobType ("unknown" when the catalog has none of that name) and reply code.', labelNames: ['jobType', 'code'], registers: [],
      collect () {
        this.reset()
        for (const { jobType, code, total } of jobs.totals()) this.inc({ jobType, code }, total)
      },
    }),
    jobHistogram(jobs),
  ]
  for (const metric of metrics) own.registerMetric(metric)
  return client.Registry.merge([processMetricsOnce(client), own])
}

/** This instance's metrics: counting jobs starts now; the registry (never prom-client's global one) at the first scrape. */
export function createServiceMetrics (sources: MetricSources): ServiceMetrics {
  const jobs = new JobStats()
  sources.runner.observeJobs(jobs.record)
  let registry: Promise<Registry> | undefined
  return {
    async scrape () {
      registry ??= registryOf(sources, jobs)
      const ready = await registry
      return { contentType: ready.contentType, text: await ready.metrics() }
    },
  }
}
