import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BILLING_EVENT_OUTCOMES, DECISION_REASONS } from '../vocabulary/index.js';
import type { MetricSources } from './metric-sources.js';

/** Request latency buckets, in seconds: a decision from memory takes well under a millisecond, a webhook tens. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Tollgate's Prometheus metrics, one registry per server. The domains are instrumented through
 * small hooks the composition root connects to the methods here (`decided`, `consumed`, ...);
 * what is read rather than counted (the change feed, the pool, live subscriptions, running
 * migrations) comes from {@link MetricSources} at each scrape. Every label has a bounded set of
 * values: reasons and outcomes come from the vocabulary, routes from the registered routes, and
 * operation names are capped (OperationLabels).
 *
 * @example
 * const metrics = new TollgateMetrics(sources);
 * entitlements.onDecision = (decision) => metrics.decided(decision.reason);
 * reply.type(metrics.contentType).send(await metrics.scrape());
 */
export class TollgateMetrics {
  private readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'operation' | 'status'>;
  private readonly latency: Histogram<'route' | 'operation'>;
  private readonly decisions: Counter<'reason'>;
  private readonly consumes: Counter<'result'>;
  private readonly consumesRefused: Counter<'reason'>;
  private readonly webhookEvents: Counter<'outcome'>;
  private openSockets = 0;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    this.requests = new Counter({
      name: 'tollgate_http_requests_total',
      help: 'HTTP requests answered, by route, GraphQL operation name (empty outside /graphql) and status.',
      labelNames: ['route', 'operation', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'tollgate_http_request_duration_seconds',
      help: 'Time from receiving a request to answering it, by route and GraphQL operation name.',
      labelNames: ['route', 'operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.decisions = new Counter({
      name: 'tollgate_decisions_total',
      help: 'Entitlement decisions answered to callers (the entitlement and entitlements queries), by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.consumes = new Counter({
      name: 'tollgate_consumes_total',
      help: 'consume calls: counted, refused (a limit or access in the way), or replayed (a retried idempotency key).',
      labelNames: ['result'],
      registers,
    });
    this.consumesRefused = new Counter({
      name: 'tollgate_consumes_refused_total',
      help: 'consume calls refused, by the decision\'s reason (LIMIT_REACHED, NOT_IN_PLAN, ...).',
      labelNames: ['reason'],
      registers,
    });
    this.webhookEvents = new Counter({
      name: 'tollgate_stripe_webhook_events_total',
      help: 'Verified Stripe webhook deliveries, by outcome. Refused deliveries (signature, body, unavailable) are in tollgate_http_requests_total{route="/webhooks/stripe"} by status.',
      labelNames: ['outcome'],
      registers,
    });
    // Every reason and outcome from zero, so a rate() sees the first one.
    for (const reason of DECISION_REASONS) this.decisions.inc({ reason }, 0);
    for (const result of ['counted', 'refused', 'replayed']) this.consumes.inc({ result }, 0);
    for (const outcome of BILLING_EVENT_OUTCOMES) this.webhookEvents.inc({ outcome }, 0);

    const openSockets = () => this.openSockets;
    new Gauge({
      name: 'tollgate_live_sockets',
      help: 'Open GraphQL-over-WebSocket connections in this process.',
      registers,
      collect() {
        this.set(openSockets());
      },
    });
    new Gauge({
      name: 'tollgate_live_subscriptions',
      help: 'Active live subscriptions (entitlementsChanged) in this process.',
      registers,
      collect() {
        this.set(sources.liveSubscriptions());
      },
    });
    new Gauge({
      name: 'tollgate_change_feed_connected',
      help: '1 while every change made by any process reaches this one (the LISTEN connection is up), else 0: caches are off.',
      registers,
      collect() {
        this.set(sources.changeFeed().connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tollgate_change_feed_heartbeat_age_seconds',
      help: 'Seconds since the change feed\'s last heartbeat came back through PostgreSQL (absent when it sends none).',
      registers,
      collect() {
        const age = sources.changeFeed().heartbeatAgeSeconds;
        this.reset();
        if (age !== null) this.set(age);
      },
    });
    new Counter({
      name: 'tollgate_change_feed_reconnects_total',
      help: 'Times the change feed lost its LISTEN connection and made a new one.',
      registers,
      collect() {
        this.reset();
        this.inc(sources.changeFeed().reconnects);
      },
    });
    new Gauge({
      name: 'tollgate_db_pool_connections',
      help: 'PostgreSQL connections of this process\'s pool, by state (busy, idle), and its maximum (max).',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sources.databasePool();
        this.reset();
        if (!pool) return;
        this.set({ state: 'busy' }, pool.total - pool.idle);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'max' }, pool.max);
      },
    });
    new Gauge({
      name: 'tollgate_db_pool_waiting_queries',
      help: 'Queries waiting for a connection of this process\'s pool: above 0 for long, the pool is too small.',
      registers,
      collect() {
        this.set(sources.databasePool()?.waiting ?? 0);
      },
    });
    new Gauge({
      name: 'tollgate_plan_migration_accounts',
      help: 'Accounts of each running plan migration (any process), by state: total, migrated, skipped, failed.',
      labelNames: ['migration', 'plan', 'state'],
      registers,
      async collect() {
        // A scrape while the database is away still answers the rest; these series are left out.
        const running = await sources.runningMigrations().catch(() => []);
        this.reset();
        for (const migration of running) {
          const labels = { migration: migration.id, plan: migration.plan };
          this.set({ ...labels, state: 'total' }, migration.total);
          this.set({ ...labels, state: 'migrated' }, migration.migrated);
          this.set({ ...labels, state: 'skipped' }, migration.skipped);
          this.set({ ...labels, state: 'failed' }, migration.failed);
        }
      },
    });
  }

  /** The content type of {@link scrape}'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in Prometheus's text format, the read ones read now. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** An HTTP request was answered. */
  answered(route: string, operation: string, status: number, seconds: number): void {
    this.requests.inc({ route, operation, status: String(status) });
    this.latency.observe({ route, operation }, seconds);
  }

  /** An entitlement decision was answered to a caller. */
  decided(reason: string): void {
    this.decisions.inc({ reason });
  }

  /** A consume was answered: counted, refused for `reason`, or replayed. */
  consumed(outcome: { ok: boolean; replayed: boolean; reason: string }): void {
    if (outcome.replayed) this.consumes.inc({ result: 'replayed' });
    else if (outcome.ok) this.consumes.inc({ result: 'counted' });
    else {
      this.consumes.inc({ result: 'refused' });
      this.consumesRefused.inc({ reason: outcome.reason });
    }
  }

  /** A verified Stripe delivery was answered with this outcome (APPLIED, DUPLICATE, ...). */
  webhookAnswered(outcome: string): void {
    this.webhookEvents.inc({ outcome });
  }

  /** A WebSocket opened; counted until it closes. */
  socketOpened(socket: { once(event: 'close', listener: () => void): unknown }): void {
    this.openSockets += 1;
    socket.once('close', () => {
      this.openSockets -= 1;
    });
  }
}
