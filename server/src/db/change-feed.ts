import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

/** Something that changed and whose cached reads must be dropped. */
export type Change =
  | { scope: 'catalog' }
  | { scope: 'account'; accountId: string }
  | { scope: 'api-keys' }
  /** Everything may be stale: the listener lost its connection. */
  | { scope: 'all' };

type Listener = (change: Change) => void;

const CHANNEL = 'tollgate_changes';

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
      if (this.listenUrl !== null) {
        await transaction.execute('select pg_notify(?, ?)', [CHANNEL, JSON.stringify(announced)]);
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
