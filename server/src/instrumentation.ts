import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { ChangeFeed } from './db/index.js';
import { TollgateMetrics, type ChangeFeedHealth } from './metrics/index.js';
import type { Services } from './services.js';

/**
 * Connects the metrics to the process: the domains' hooks to the counters, and the sources read
 * at each scrape (the change feed's health, the pool, live subscriptions, running migrations).
 * A composition root beside server.ts: the domains know nothing of Prometheus, and the metrics
 * domain knows nothing of them.
 *
 * @example
 * const metrics = config.metricsToken ? await instrument(services, orm, feed) : null;
 */
export async function instrument(
  services: Services,
  orm: MikroORM,
  feed: ChangeFeed,
  feedHealth: () => ChangeFeedHealth = feedHealthOf(feed),
): Promise<TollgateMetrics> {
  const pool = (await orm.em.getConnection().getNativeClient()) as Pool;
  const poolMax = orm.config.get('pool')?.max ?? pool.options.max ?? 10;
  const metrics = new TollgateMetrics({
    changeFeed: feedHealth,
    databasePool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolMax }),
    liveSubscriptions: () => services.live.subscriptions,
    runningMigrations: () => services.planMigrations.running(),
  });
  services.entitlements.onDecision = (decision) => metrics.decided(decision.reason);
  services.metering.onConsume = (outcome) => metrics.consumed({ ok: outcome.ok, replayed: outcome.replayed, reason: outcome.decision.reason });
  return metrics;
}

/**
 * The feed's health as the metrics read it: whether its LISTEN connection is up, how long ago its
 * heartbeat last came back through PostgreSQL, and how often the connection was replaced.
 */
export function feedHealthOf(feed: ChangeFeed, now: () => number = Date.now): () => ChangeFeedHealth {
  return () => {
    const health = feed.health();
    return {
      connected: health.up,
      heartbeatAgeSeconds: health.lastHeartbeatAt ? Math.max(0, (now() - health.lastHeartbeatAt) / 1000) : null,
      reconnects: health.reconnects,
    };
  };
}
