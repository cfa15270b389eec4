import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

/** Something that changed and whose cached reads must be dropped. */
export type Change =
  | { scope: 'catalog' }
  | { scope: 'account'; accountId: string }
  /** Several accounts at once, such as a plan migration's batch; sent as as many notifications as its ids need. */
  | { scope: 'accounts'; accountIds: string[] }
  | { scope: 'api-keys' }
  /** Everything may be stale: the listener lost its connection. */
  | { scope: 'all' };

type Listener = (change: Change) => void;

const CHANNEL = 'tollgate_changes';

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
        this.deliverLocally(JSON.parse(message.payload) as Change);
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
