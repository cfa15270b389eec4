import type { EntityManager } from '@mikro-orm/postgresql';
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

/**
 * Tells every server process on one database what changed, so in-process caches stay exact.
 *
 * Writes go through {@link write}: the NOTIFY is queued inside the write's transaction, so
 * PostgreSQL delivers it to every listening process only if and when the transaction commits,
 * and the writing process applies the change to itself right after commit, so it reads its own
 * writes at once. While the LISTEN connection is down, {@link live} is false and callers must
 * not cache.
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

  /**
   * @param listenUrl the PostgreSQL to LISTEN on; null for the embedded database, which serves
   * only this process, so local delivery is enough.
   */
  constructor(
    private readonly listenUrl: string | null,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  /** True when every change made by any process will reach this one. */
  get live(): boolean {
    return this.listenUrl === null || this.connected;
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
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.listenUrl! });
    client.on('notification', (message) => {
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
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.client = client;
    this.connected = true;
    // Anything cached while we were not listening may be stale.
    this.deliverLocally({ scope: 'all' });
    // Usage announced while the connection was down still has to reach the others.
    this.scheduleFlush();
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
      this.onError(error as Error);
    } finally {
      this.flushing = false;
      this.scheduleFlush();
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    this.connected = false;
    this.deliverLocally({ scope: 'all' });
    this.onError(error);
    client.end().catch(() => {});
    const retry = () => {
      this.retryTimer = null;
      if (this.stopped) return;
      this.connect().catch((connectError: Error) => {
        this.onError(connectError);
        this.retryTimer = setTimeout(retry, 1000);
      });
    };
    this.retryTimer = setTimeout(retry, 250);
  }
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
