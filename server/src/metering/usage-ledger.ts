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
    await lockCounters(em, events, now);
    const answers: LedgerAnswer[] = [];
    for (const segment of segments(events)) answers.push(...(await countSegment(em, segment, now)));
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
async function lockCounters(em: EntityManager, events: LedgerEvent[], now: Date): Promise<void> {
  const counters = new Map<string, LedgerEvent>();
  for (const event of events) counters.set(`${event.accountId}\u0000${event.featureKey}\u0000${event.periodStart.getTime()}`, event);
  const groups = [...counters.values()];
  await em.execute(...named(
    `with boundary as (
       select count(pg_advisory_xact_lock(${KEY_LOCK_SPACE}, bucket)) as locked
       from (select distinct hashtext(k.account_id || chr(0) || k.idempotency_key) & 15 as bucket
             from unnest(cast(:keyAccounts as text[]), cast(:keys as text[])) as k(account_id, idempotency_key)
             where ${NEAR_MONTH_BOUNDARY}
             order by 1) as buckets
     )
     insert into usage_counter as c (account_id, feature_key, period_start, used, updated_at)
     select g.account_id, g.feature_key, g.period_start, 0, cast(:now as timestamptz)
     from unnest(cast(:accounts as text[]), cast(:features as text[]), cast(:periods as timestamptz[])) as g(account_id, feature_key, period_start)
     where (select locked from boundary) >= 0
     order by 1, 2, 3
     on conflict (account_id, feature_key, period_start) do update set used = c.used`,
    {
      keyAccounts: events.map((event) => event.accountId),
      keys: events.map((event) => event.idempotencyKey),
      accounts: groups.map((event) => event.accountId),
      features: groups.map((event) => event.featureKey),
      periods: groups.map((event) => event.periodStart.toISOString()),
      now: now.toISOString(),
    },
  ));
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
       select * from unnest(
         cast(:pos as int[]), cast(:accounts as text[]), cast(:features as text[]), cast(:periods as timestamptz[]),
         cast(:amounts as bigint[]), cast(:caps as bigint[]), cast(:permitted as boolean[]), cast(:keys as text[]),
         cast(:fingerprints as text[]), cast(:kinds as usage_event_kind[]), cast(:ats as timestamptz[]), cast(:ats as text[]),
         cast(:actors as text[])
       ) as i(pos, account_id, feature_key, period_start, amount, cap, permitted, idempotency_key, fingerprint, kind, occurred_at, at_text, actor)
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
      pos: events.map((_event, index) => index),
      accounts: events.map((event) => event.accountId),
      features: events.map((event) => event.featureKey),
      periods: events.map((event) => event.periodStart.toISOString()),
      amounts: events.map((event) => event.amount),
      caps: events.map((event) => event.cap),
      permitted: events.map((event) => event.permitted),
      keys: events.map((event) => event.idempotencyKey),
      fingerprints: events.map((event) => event.fingerprint),
      kinds: events.map((event) => event.kind),
      ats: events.map((event) => event.at.toISOString()),
      actors: events.map((event) => event.actor),
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

/** The first ledger month a key lookup searches: the month KEY_WINDOW_DAYS ago (so at least that many days). */
export const KEY_WINDOW_START = `(date_trunc('month', (now() - interval '${KEY_WINDOW_DAYS} days') at time zone 'UTC'))::date`;

/**
 * The month-boundary key locks of {@link UsageLedger}, for a keyed write outside it (release): call
 * it first in the write's transaction, so the write's own statement sees whatever a request with
 * the same key on the other side of the boundary committed.
 */
export async function lockKeysNearMonthBoundary(em: EntityManager, keys: { accountId: string; idempotencyKey: string }[]): Promise<void> {
  await em.execute(...named(
    `select count(pg_advisory_xact_lock(${KEY_LOCK_SPACE}, bucket)) as locked
     from (select distinct hashtext(k.account_id || chr(0) || k.idempotency_key) & 15 as bucket
           from unnest(cast(:keyAccounts as text[]), cast(:keys as text[])) as k(account_id, idempotency_key)
           where ${NEAR_MONTH_BOUNDARY}
           order by 1) as buckets`,
    { keyAccounts: keys.map((key) => key.accountId), keys: keys.map((key) => key.idempotencyKey) },
  ));
}
