import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Something that changed and whose cached reads must be dropped. */
export type Change =
  | { scope: 'catalog' }
  | { scope: 'account'; accountId: string }
  /** Several accounts at once, such as a plan migration's batch; sent as as many notifications as its ids need. */
  | { scope: 'accounts'; accountIds: string[] }
  | { scope: 'api-keys' }
  /** An operator's sessions ended or their role or state changed (sign-out, deactivation, a new role): every process drops them at once. */
  | { scope: 'operator'; operatorId: string }
  /** An override request was made (PENDING) or decided: the console shows the queue live. */
  | { scope: 'override-request'; requestId: string; accountId: string; status: 'PENDING' | 'APPROVED' | 'REJECTED' }
  /** Usage of one feature was counted (consume, release, setUsage, reportUsage): see {@link ChangeFeed.announce}. */
  | { scope: 'usage'; accountId: string; featureKey: string }
  /** Everything may be stale: the listener lost its connection. */
  | { scope: 'all' };

type Listener = (change: Change) => void;

const CHANNEL = 'tollgate_changes';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; usage batches stay well below. */
const MAX_BATCH_PAYLOAD = 7000;
/** Usage announcements go out at most this often per process (the first at once). */
const USAGE_FLUSH_INTERVAL_MS = 20;
/** The most (account, feature) pairs waiting for a flush; past it one `all` goes out instead. */
const MAX_PENDING_USAGE = 10_000;

/** Usage changes as they travel between processes: one NOTIFY for many pairs. */
interface UsageBatch {
  scope: 'usage-batch';
  changes: [accountId: string, featureKey: string][];
}
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; account batches are split below that. */
const MAX_PAYLOAD_BYTES = 7_900;

/** What the feed says about its own health: for `/readyz`, logs and `/metrics`. Read-only. */
export interface FeedHealth {
  /** Every change made by any process reaches this one (always true on the embedded database). */
  up: boolean;
  /** When the last heartbeat came back through PostgreSQL (epoch ms); null before the first, and on the embedded database. */
  lastHeartbeatAt: number | null;
  /** How many times the LISTEN connection has been replaced since start. */
  reconnects: number;
  /** Since when the feed has been down (epoch ms), or null while it is up. */
  downSince: number | null;
  /** Why it is down (the last failure), or null while it is up. */
  reason: string | null;
}

/** Where the feed reports an outage: once when it begins, once when it ends (never per retry). */
export interface FeedEvents {
  lost(reason: string): void;
  recovered(downForMs: number): void;
  /** A failure that does not take the feed down (a usage flush that will be retried). */
  error(error: Error): void;
}

/** How the feed checks that its LISTEN connection is alive. */
export interface ChangeFeedOptions {
  /**
   * A heartbeat (a NOTIFY to this process's own channel, on the LISTEN connection) goes through
   * PostgreSQL this often; one that has not come back within the same time is missed, and the
   * connection is replaced. Default 5000.
   */
  heartbeatMs?: number;
  events?: Partial<FeedEvents>;
}

/** Reconnection attempts after a loss: the first at once, then at most one a second. */
const RECONNECT_FIRST_MS = 0;
const RECONNECT_EVERY_MS = 1000;
/** TCP keep-alive probes on the LISTEN connection start after this much silence (the OS then sends them every few seconds). */
const KEEP_ALIVE_INITIAL_DELAY_MS = 10_000;
/** How long stopping waits for PostgreSQL to acknowledge the LISTEN connection's goodbye. */
const STOP_GRACE_MS = 1000;

/**
 * Tells every server process on one database what changed, so in-process caches stay exact.
 *
 * Writes go through {@link write}: the NOTIFY is queued inside the write's transaction, so
 * PostgreSQL delivers it to every listening process only if and when the transaction commits,
 * and the writing process applies the change to itself right after commit, so it reads its own
 * writes at once. While the LISTEN connection is down, {@link live} is false and callers must
 * not cache.
 *
 * The LISTEN connection proves it is alive: TCP keep-alive finds a peer that vanished, and a
 * heartbeat round trip through PostgreSQL every `heartbeatMs` finds a link that stopped
 * forwarding without closing (a NAT timeout, a failover), which keep-alive does not when a
 * middlebox still answers the probes. A missed heartbeat replaces the connection: the feed is
 * down at once (nothing is cached, every cache and every live subscriber is refreshed), and up
 * again (everything refreshed once more) when a new connection listens.
 */
export class ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private client: pg.Client | null = null;
  private connected = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Usage announced here and not yet sent to other processes, by account, then feature. */
  private pendingUsage = new Map<string, Set<string>>();
  private pendingUsageCount = 0;
  private pendingOverflow = false;
  private flushing = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlushAt = -Infinity;
  private readonly heartbeatMs: number;
  private readonly events: FeedEvents;
  /** This process's own heartbeat channel: no other process hears its heartbeats. */
  private readonly heartbeatChannel = `tollgate_heartbeat_${randomBytes(8).toString('hex')}`;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** While the feed is down: refreshes everything every heartbeat interval (see {@link lost}). */
  private refreshTimer: NodeJS.Timeout | null = null;
  /** The heartbeat sent and not yet back; null between heartbeats. */
  private awaitedBeat: string | null = null;
  private beats = 0;
  private lastHeartbeatAt: number | null = null;
  private reconnects = 0;
  private downSince: number | null = null;
  private downReason: string | null = null;

  /**
   * @param listenUrl the PostgreSQL to LISTEN on, directly (never through PgBouncer); null for
   * the embedded database, which serves only this process, so local delivery is enough.
   */
  constructor(
    private readonly listenUrl: string | null,
    options: ChangeFeedOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.events = { lost: () => {}, recovered: () => {}, error: () => {}, ...options.events };
  }

  /** True when every change made by any process will reach this one. */
  get live(): boolean {
    return this.listenUrl === null || this.connected;
  }

  /** The feed's health now (read-only; for `/readyz` and `/metrics`). */
  health(): FeedHealth {
    return {
      up: this.live,
      lastHeartbeatAt: this.lastHeartbeatAt,
      reconnects: this.reconnects,
      downSince: this.live ? null : this.downSince,
      reason: this.live ? null : this.downReason ?? 'the LISTEN connection is not open yet',
    };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` in a transaction of its own, flushes it, and announces `change` (or the change
   * `work`'s result names) to every process once it has committed. Nothing is announced when
   * `work` throws: the transaction and its NOTIFY roll back together.
   */
  async write<T>(em: EntityManager, change: Change | ((result: T) => Change), work: (em: EntityManager) => Promise<T>): Promise<T> {
    let announced: Change | null = null;
    const result = await em.fork().transactional(async (transaction) => {
      const value = await work(transaction);
      await transaction.flush();
      announced = typeof change === 'function' ? change(value) : change;
      const payloads = this.listenUrl === null ? [] : notificationPayloads(announced);
      if (payloads.length === 1) {
        await transaction.execute('select pg_notify(?, ?)', [CHANNEL, payloads[0]]);
      } else if (payloads.length > 1) {
        await transaction.execute('select pg_notify(?, payload) from unnest(array[?]::text[]) as payload', [CHANNEL, payloads]);
      }
      return value;
    });
    this.deliverLocally(announced!);
    return result;
  }

  /**
   * Announces usage already committed by one statement outside {@link write} (the consume path
   * holds no transaction, and a NOTIFY inside its statement would serialise every counting
   * commit on PostgreSQL's notification-queue lock). Delivered to this process at once; to the
   * others in batches, one NOTIFY at most every 20 ms, sent on the LISTEN connection so no
   * request waits for it. The price: a process that dies within those milliseconds after a
   * commit leaves the others to learn of that usage from their 0.5 s usage cache instead.
   */
  announce(change: Extract<Change, { scope: 'usage' }>): void {
    this.deliverLocally(change);
    if (this.listenUrl === null || this.stopped) return;
    this.queueUsage(change.accountId, change.featureKey);
    this.scheduleFlush();
  }

  private queueUsage(accountId: string, featureKey: string): void {
    let features = this.pendingUsage.get(accountId);
    if (features?.has(featureKey)) return;
    if (this.pendingUsageCount >= MAX_PENDING_USAGE) {
      this.pendingOverflow = true;
      return;
    }
    if (!features) this.pendingUsage.set(accountId, (features = new Set()));
    features.add(featureKey);
    this.pendingUsageCount += 1;
  }

  /** Applies a committed change to this process's caches. */
  deliverLocally(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }

  async start(): Promise<void> {
    if (this.listenUrl === null) return;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.stopHeartbeat();
    this.stopRefreshing();
    const client = this.client;
    this.client = null;
    this.connected = false;
    if (!client) return;
    // A goodbye to PostgreSQL, but not forever: over a silent link it would never be answered.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.end().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
    abandon(client);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.listenUrl!,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEP_ALIVE_INITIAL_DELAY_MS,
      // A link that accepts the TCP connection and then forwards nothing must not hang the retry.
      connectionTimeoutMillis: this.heartbeatMs,
      query_timeout: this.heartbeatMs,
    });
    client.on('notification', (message) => {
      if (message.channel === this.heartbeatChannel) return this.heartbeatBack(client, message.payload ?? '');
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const change = JSON.parse(message.payload) as Change | UsageBatch;
        if (change.scope !== 'usage-batch') return this.deliverLocally(change);
        // Our own batches come back to us too; they were delivered here when announced.
        if (message.processId === (client as unknown as { processID: number }).processID) return;
        for (const [accountId, featureKey] of change.changes) this.deliverLocally({ scope: 'usage', accountId, featureKey });
      } catch {
        this.deliverLocally({ scope: 'all' });
      }
    });
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'the LISTEN connection ended'));
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}; listen ${this.heartbeatChannel}`);
    } catch (error) {
      abandon(client);
      throw error;
    }
    if (this.stopped) {
      abandon(client);
      return;
    }
    this.client = client;
    this.connected = true;
    this.stopRefreshing();
    if (this.downSince !== null) {
      this.reconnects += 1;
      this.events.recovered(Date.now() - this.downSince);
    }
    this.downSince = null;
    this.downReason = null;
    this.lastHeartbeatAt = Date.now();
    this.scheduleHeartbeat(client);
    // Anything cached while we were not listening may be stale.
    this.deliverLocally({ scope: 'all' });
    // Usage announced while the connection was down still has to reach the others.
    this.scheduleFlush();
  }

  private scheduleHeartbeat(client: pg.Client): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setTimeout(() => this.sendHeartbeat(client), this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Sends one heartbeat and waits for it to come back; a heartbeat not back in time loses the connection. */
  private sendHeartbeat(client: pg.Client): void {
    if (this.client !== client) return;
    this.beats += 1;
    const beat = String(this.beats);
    this.awaitedBeat = beat;
    client.query('select pg_notify($1, $2)', [this.heartbeatChannel, beat]).catch(() => {
      // A failed query is the connection failing: its 'error' or 'end' event (or the deadline below) reports it.
    });
    this.heartbeatTimer = setTimeout(() => {
      // Timers run before I/O in each turn of the event loop: after a long pause of this
      // process the heartbeat may be waiting in the socket. Judge it after the I/O phase.
      setImmediate(() => {
        if (this.client === client && this.awaitedBeat === beat) {
          this.lost(client, `no heartbeat back from PostgreSQL within ${this.heartbeatMs} ms (the LISTEN link is silent)`);
        }
      });
    }, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private heartbeatBack(client: pg.Client, beat: string): void {
    if (this.client !== client || beat !== this.awaitedBeat) return;
    this.awaitedBeat = null;
    this.lastHeartbeatAt = Date.now();
    this.scheduleHeartbeat(client);
  }

  private stopRefreshing(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.awaitedBeat = null;
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushTimer || (this.pendingUsageCount === 0 && !this.pendingOverflow)) return;
    const wait = this.lastFlushAt + USAGE_FLUSH_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      void this.flushUsage();
    } else {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        void this.flushUsage();
      }, wait);
    }
  }

  /** Sends the pending usage to the other processes, in as few NOTIFYs as fit PostgreSQL's payload limit. */
  private async flushUsage(): Promise<void> {
    const client = this.client;
    if (!client || !this.connected || this.stopped) return; // connect() flushes once it is back
    const pending = this.pendingUsage;
    const overflow = this.pendingOverflow;
    this.pendingUsage = new Map();
    this.pendingUsageCount = 0;
    this.pendingOverflow = false;
    this.flushing = true;
    this.lastFlushAt = performance.now();
    try {
      for (const payload of usagePayloads(pending, overflow)) {
        await client.query('select pg_notify($1, $2)', [CHANNEL, payload]);
      }
    } catch (error) {
      // The connection is going: lost() reconnects and connect() flushes again. Some of these
      // may have gone out already; sending them twice only refreshes the others once more.
      for (const [accountId, features] of pending) {
        for (const featureKey of features) this.queueUsage(accountId, featureKey);
      }
      if (overflow) this.pendingOverflow = true;
      this.events.error(error as Error);
    } finally {
      this.flushing = false;
      this.scheduleFlush();
    }
  }

  /**
   * The LISTEN connection is gone (closed, failed, or silent): the feed is down until a new one
   * listens. Every cache is dropped and every live subscriber refreshed from the database now,
   * again every heartbeat interval while it is down (no other process's change can reach this
   * one meanwhile: a revoked key, a plan change), and once more when it is back; the outage is
   * reported once, however many retries it takes.
   */
  private lost(client: pg.Client, reason: string): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    this.connected = false;
    this.stopHeartbeat();
    abandon(client);
    this.downReason = reason;
    if (this.downSince === null) {
      this.downSince = Date.now();
      this.events.lost(reason);
    }
    this.deliverLocally({ scope: 'all' });
    if (!this.refreshTimer) {
      this.refreshTimer = setInterval(() => this.deliverLocally({ scope: 'all' }), this.heartbeatMs);
      this.refreshTimer.unref();
    }
    const retry = () => {
      this.retryTimer = null;
      if (this.stopped) return;
      this.connect().catch((error: Error) => {
        this.downReason = `reconnecting: ${error.message}`;
        if (!this.stopped) this.retryTimer = setTimeout(retry, RECONNECT_EVERY_MS);
      });
    };
    this.retryTimer = setTimeout(retry, RECONNECT_FIRST_MS);
  }
}

/**
 * Closes a LISTEN connection without waiting for the server: a silent link would never answer
 * the goodbye, so the socket is destroyed as well.
 */
function abandon(client: pg.Client): void {
  client.end().catch(() => {});
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** The NOTIFY payloads for pending usage: batches under PostgreSQL's limit, or one `all` after an overflow. */
function* usagePayloads(pending: Map<string, Set<string>>, overflow: boolean): Generator<string> {
  if (overflow) {
    yield JSON.stringify({ scope: 'all' } satisfies Change);
    return;
  }
  let changes: UsageBatch['changes'] = [];
  let size = 0;
  for (const [accountId, features] of pending) {
    for (const featureKey of features) {
      const pairSize = JSON.stringify([accountId, featureKey]).length + 1;
      if (size + pairSize > MAX_BATCH_PAYLOAD && changes.length) {
        yield JSON.stringify({ scope: 'usage-batch', changes } satisfies UsageBatch);
        changes = [];
        size = 0;
      }
      changes.push([accountId, featureKey]);
      size += pairSize;
    }
  }
  if (changes.length) yield JSON.stringify({ scope: 'usage-batch', changes } satisfies UsageBatch);
}

/**
 * The NOTIFY payloads that announce `change`: one, except for an `accounts` change, whose ids are
 * split so that each payload stays under PostgreSQL's limit (none when it names no account).
 */
export function notificationPayloads(change: Change): string[] {
  if (change.scope !== 'accounts') return [JSON.stringify(change)];
  const payloads: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  for (const accountId of change.accountIds) {
    // Account ids are printable ASCII (validation's accountId rule); quotes and a comma at most double a few characters.
    const size = Buffer.byteLength(JSON.stringify(accountId)) + 1;
    if (chunk.length && bytes + size > MAX_PAYLOAD_BYTES - 64) {
      payloads.push(JSON.stringify({ scope: 'accounts', accountIds: chunk }));
      chunk = [];
      bytes = 0;
    }
    chunk.push(accountId);
    bytes += size;
  }
  if (chunk.length) payloads.push(JSON.stringify({ scope: 'accounts', accountIds: chunk }));
  return payloads;
}
