import { DeadlockException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { named, retryOnConnectionFault } from '../db/index.js';
import { fromBigint } from '../validation/index.js';
import type { UsageEventKind } from '../vocabulary/index.js';

/**
 * How long an idempotency key holds: a request whose key was first recorded within this many days
 * is recognised (a duplicate, or IDEMPOTENCY_CONFLICT); past it the ledger's older months may have
 * been dropped. At least the 35-day back-dating window, so a late batch retried late still counts once.
 */
export const KEY_WINDOW_DAYS = 35;

/** One request to count, ready for SQL: validated, evaluated, its period and cap settled. */
export interface LedgerEvent {
  kind: UsageEventKind;
  accountId: string;
  featureKey: string;
  periodStart: Date;
  amount: number;
  /** The largest the counter may be after this event: the blocking limit, else MAX_QUANTITY. */
  cap: number;
  /** Whether `cap` is a limit with overage BLOCK (refusal: LIMIT_REACHED) or only the largest counter. */
  blocking: boolean;
  /** Whether access allows counting at all; a refused one only reads the counter. */
  permitted: boolean;
  idempotencyKey: string;
  fingerprint: string;
  /** When the usage happened; the answer replayed to a retry says this instant. */
  at: Date;
  /** Who asked (the audit name of the key or operator), kept on the ledger row. */
  actor: string;
}

/** The first answer to an idempotency key, kept in the ledger row and replayed to retries. */
export interface StoredResult {
  used: number;
  at: string;
}

/** What happened to one {@link LedgerEvent}. */
export type LedgerAnswer =
  /** Counted; `used` is the counter right after it. */
  | { kind: 'counted'; used: number }
  /** Not counted (no access, or it did not fit); `used` is the counter when it was refused. */
  | { kind: 'skipped'; used: number }
  /** Its key was recorded before: the first request's fingerprint and answer. */
  | { kind: 'replay'; fingerprint: string | null; result: StoredResult };

/** Attempts of one batch when a concurrent writer won a race on a key (or a deadlock was broken). */
const ATTEMPTS = 5;

/**
 * Counts many requests at once, each exactly as if it had been counted alone, in order: one
 * transaction of a few statements, whatever the number of events. Used by reportUsage (a batch)
 * and by the consume coalescer (concurrent consumes).
 *
 * 1. One statement locks every counter the batch touches (creating missing ones at 0), in key
 *    order so two batches cannot deadlock on them. Within an hour of a month boundary it first
 *    takes transaction-level advisory locks on the batch's keys (16 buckets): a key recorded on
 *    both sides of the boundary lands in two partitions, whose unique indexes cannot see each
 *    other, so those requests are serialised instead.
 * 2. One statement per segment (a segment is a run of events with no key repeated; a batch without
 *    repeated keys is one segment) looks up earlier requests with the same keys within the key
 *    window, runs `usage_fit`, the running sum against each counter's remaining quantity, over
 *    the rest in order, inserts a ledger row per accepted event and adds each counter's accepted
 *    sum to it.
 *
 * A concurrent request with one of the batch's new keys makes the ledger insert fail on the
 * unique key; the whole transaction is undone and run again, and then replays that request's
 * answer. A lost connection is retried once the same way: the keys make the second run count
 * nothing the first had committed.
 */
export class UsageLedger {
  constructor(private readonly orm: MikroORM) {}

  /** Counts `events` in order; one answer per event, in the same order. */
  async count(events: LedgerEvent[], now: Date): Promise<LedgerAnswer[]> {
    if (!events.length) return [];
    return retryOnConnectionFault(async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.orm.em.fork().transactional((em) => this.countOnce(em, events, now));
        } catch (error) {
          const raced = error instanceof UniqueConstraintViolationException || error instanceof DeadlockException;
          if (!raced || attempt >= ATTEMPTS) throw error;
        }
      }
    });
  }

  private async countOnce(em: EntityManager, events: LedgerEvent[], now: Date): Promise<LedgerAnswer[]> {
    const created = await lockCounters(em, events, now);
    const answers: LedgerAnswer[] = [];
    for (const segment of segments(events)) answers.push(...(await countSegment(em, segment, now)));
    // A counter created for this batch that counted nothing goes again: a refused request leaves no trace.
    const counted = new Set(events.filter((_event, index) => answers[index]!.kind === 'counted').map(counterOf));
    const unused = created.filter((counter) => !counted.has(counterOf({ accountId: counter.account_id, featureKey: counter.feature_key, periodStart: new Date(counter.period_start) })));
    if (unused.length) {
      await em.execute(...named(
        `delete from usage_counter c using json_to_recordset(cast(:counters as json)) as g(account_id text, feature_key text, period_start timestamptz)
         where c.account_id = g.account_id and c.feature_key = g.feature_key and c.period_start = g.period_start and c.used = 0`,
        { counters: JSON.stringify(unused) },
      ));
    }
    return answers;
  }
}

/** Splits events into runs in which no (account, key) appears twice; order is kept. */
function segments(events: LedgerEvent[]): LedgerEvent[][] {
  const runs: LedgerEvent[][] = [];
  let run: LedgerEvent[] = [];
  let keys = new Set<string>();
  for (const event of events) {
    const key = `${event.accountId}\u0000${event.idempotencyKey}`;
    if (keys.has(key)) {
      runs.push(run);
      run = [];
      keys = new Set();
    }
    keys.add(key);
    run.push(event);
  }
  runs.push(run);
  return runs;
}

/**
 * Statement 1: the batch's counters locked until commit (a no-op update locks an existing row;
 * a missing one is created at 0, and is ours until commit), in primary-key order so that two
 * transactions wanting the same counters queue instead of deadlocking. Near a month boundary, the
 * key buckets are locked first (sorted too): see {@link UsageLedger}.
 */
async function lockCounters(em: EntityManager, events: LedgerEvent[], now: Date): Promise<CounterKey[]> {
  const counters = new Map<string, LedgerEvent>();
  for (const event of events) counters.set(counterOf(event), event);
  const groups = [...counters.values()];
  const rows = await em.execute<(CounterKey & { created: boolean })[]>(...named(
    `with boundary as (${BOUNDARY_LOCKS})
     insert into usage_counter as c (account_id, feature_key, period_start, used, updated_at)
     select g.account_id, g.feature_key, g.period_start, 0, cast(:now as timestamptz)
     from json_to_recordset(cast(:counters as json)) as g(account_id text, feature_key text, period_start timestamptz)
     where (select locked from boundary) >= 0
     order by 1, 2, 3
     on conflict (account_id, feature_key, period_start) do update set used = c.used
     returning c.account_id, c.feature_key, c.period_start, (c.xmax = 0) as created`,
    {
      keys: keysJson(events),
      counters: JSON.stringify(groups.map((event) => ({ account_id: event.accountId, feature_key: event.featureKey, period_start: event.periodStart }))),
      now: now.toISOString(),
    },
  ));
  // xmax = 0: the row was inserted by this statement, not found and locked.
  return rows.filter((row) => row.created).map(({ account_id, feature_key, period_start }) => ({ account_id, feature_key, period_start }));
}

/** A counter's primary key, as SQL returns it. */
interface CounterKey {
  account_id: string;
  feature_key: string;
  period_start: Date;
}

function counterOf(event: Pick<LedgerEvent, 'accountId' | 'featureKey' | 'periodStart'>): string {
  return `${event.accountId}\u0000${event.featureKey}\u0000${event.periodStart.getTime()}`;
}

/** The (account, key) pairs of `keys`, as the JSON BOUNDARY_LOCKS reads. */
function keysJson(keys: { accountId: string; idempotencyKey: string }[]): string {
  return JSON.stringify(keys.map((key) => ({ account_id: key.accountId, idempotency_key: key.idempotencyKey })));
}

interface SegmentRow {
  pos: number;
  /** bigint: node-postgres returns it as a string. */
  used: string | null;
  accepted: string | null;
  replay_fingerprint: string | null;
  replay_result: StoredResult | null;
}

/**
 * Statement 2, for one segment. Its counters are locked by this transaction, so the values it
 * reads are the ones it adds to; `usage_fit` runs over each counter's events in order (window
 * partition = counter), accepting an event when the counter plus it stays within its cap.
 */
async function countSegment(em: EntityManager, events: LedgerEvent[], now: Date): Promise<LedgerAnswer[]> {
  const rows = await em.execute<SegmentRow[]>(...named(
    `with input as (
       select * from json_to_recordset(cast(:events as json)) as i(
         pos int, account_id text, feature_key text, period_start timestamptz, amount bigint, cap bigint, permitted boolean,
         idempotency_key text, fingerprint text, kind usage_event_kind, occurred_at timestamptz, at_text text, actor text)
     ), existing as (
       select distinct on (e.account_id, e.idempotency_key) e.account_id, e.idempotency_key, e.fingerprint, e.result
       from usage_event e
       where (e.account_id, e.idempotency_key) in (select account_id, idempotency_key from input)
         and e.ledger_month >= ${KEY_WINDOW_START}
       order by e.account_id, e.idempotency_key, e.ledger_month
     ), fitted as (
       select i.*, usage_fit(c.used, i.amount, i.cap, i.permitted)
                     over (partition by i.account_id, i.feature_key, i.period_start order by i.pos rows unbounded preceding) as fit
       from input i
       join usage_counter c on c.account_id = i.account_id and c.feature_key = i.feature_key and c.period_start = i.period_start
       where not exists (select 1 from existing x where x.account_id = i.account_id and x.idempotency_key = i.idempotency_key)
     ), recorded as (
       insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint, result, actor)
       select account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint,
              jsonb_build_object('used', fit[1], 'at', at_text), actor
       from fitted where fit[2] = 1
       returning account_id, feature_key, period_start, amount
     ), bumped as (
       update usage_counter c set used = c.used + r.total, updated_at = cast(:now as timestamptz)
       from (select account_id, feature_key, period_start, sum(amount) as total from recorded group by 1, 2, 3) r
       where c.account_id = r.account_id and c.feature_key = r.feature_key and c.period_start = r.period_start
       returning 1
     )
     select i.pos, f.fit[1] as used, f.fit[2] as accepted, x.fingerprint as replay_fingerprint, x.result as replay_result,
            (select count(*) from bumped) as bumped
     from input i
     left join fitted f on f.pos = i.pos
     left join existing x on x.account_id = i.account_id and x.idempotency_key = i.idempotency_key
     order by i.pos`,
    {
      events: JSON.stringify(events.map((event, pos) => {
        const at = event.at.toISOString();
        return {
          pos, account_id: event.accountId, feature_key: event.featureKey, period_start: event.periodStart, amount: event.amount,
          cap: event.cap, permitted: event.permitted, idempotency_key: event.idempotencyKey, fingerprint: event.fingerprint,
          kind: event.kind, occurred_at: at, at_text: at, actor: event.actor,
        };
      })),
      now: now.toISOString(),
    },
  ));
  return rows.map((row): LedgerAnswer => {
    if (row.replay_result) return { kind: 'replay', fingerprint: row.replay_fingerprint, result: row.replay_result };
    return { kind: row.accepted === '1' ? 'counted' : 'skipped', used: fromBigint(row.used ?? 0) };
  });
}

/** The advisory lock space (first key) of the month-boundary key buckets. */
const KEY_LOCK_SPACE = 7_450_212;

/** True within an hour (database time, UTC) of the start or end of a month. */
const NEAR_MONTH_BOUNDARY = `(now() at time zone 'UTC' < date_trunc('month', now() at time zone 'UTC') + interval '1 hour'
  or now() at time zone 'UTC' >= date_trunc('month', now() at time zone 'UTC') + interval '1 month' - interval '1 hour')`;

/**
 * Within an hour of a month boundary, transaction-level advisory locks on the buckets (16) of the
 * keys in `:keys` (JSON [{account_id, idempotency_key}]), taken in bucket order; elsewhere none.
 */
const BOUNDARY_LOCKS = `select count(pg_advisory_xact_lock(${KEY_LOCK_SPACE}, bucket)) as locked
  from (select distinct hashtext(k.account_id || '/' || k.idempotency_key) & 15 as bucket
        from json_to_recordset(cast(:keys as json)) as k(account_id text, idempotency_key text)
        where ${NEAR_MONTH_BOUNDARY}
        order by 1) as buckets`;

/** The first ledger month a key lookup searches: the month KEY_WINDOW_DAYS ago (so at least that many days). */
export const KEY_WINDOW_START = `(date_trunc('month', (now() - interval '${KEY_WINDOW_DAYS} days') at time zone 'UTC'))::date`;

/**
 * The month-boundary key locks of {@link UsageLedger}, for a keyed write outside it (release): call
 * it first in the write's transaction, so the write's own statement sees whatever a request with
 * the same key on the other side of the boundary committed.
 */
export async function lockKeysNearMonthBoundary(em: EntityManager, keys: { accountId: string; idempotencyKey: string }[]): Promise<void> {
  await em.execute(...named(BOUNDARY_LOCKS, { keys: keysJson(keys) }));
}
