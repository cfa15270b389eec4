import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { executeBound, hasSqlState, named, retryOnConnectionFault } from '../db/index.js';
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

/** Attempts of one segment when a concurrent writer won a race on a key or a new counter (or a deadlock was broken). */
const ATTEMPTS = 8;

/**
 * Counts many requests at once, each exactly as if it had been counted alone, in order: a few
 * statements whatever the number of events, and no transaction held open across round trips
 * (nothing here depends on a pooled connection's session, so PgBouncer's transaction mode
 * suits it). Used by reportUsage (a batch) and by the consume coalescer (concurrent consumes).
 *
 * A batch is cut into segments, runs in which no (account, key) repeats (a batch without repeated
 * keys is one segment). For each segment:
 *
 * 1. One statement creates, at 0, the counters the segment may count into that do not exist yet,
 *    so that the next statement can lock every one of them.
 * 2. One statement does the rest atomically: locks the segment's counters (FOR UPDATE, in key
 *    order, so two batches queue instead of deadlocking, and read at their latest value); looks up
 *    earlier requests with the same keys within the key window; runs `usage_fit`, the running sum
 *    against each counter's remaining quantity, over the other events in order; inserts a ledger
 *    row per accepted event; and adds each counter's accepted sum to it.
 * 3. Rarely: a counter created in step 1 that counted nothing is deleted again, so a refused
 *    request leaves no trace.
 * 4. Only when something was refused: the refused events' keys are looked up again (see
 *    replayLateKeys), so a retry racing its first request gets the first request's answer.
 *
 * Races end in a retry of the segment, never in a wrong count: a concurrent request with one of
 * the segment's new keys makes the ledger insert fail on the unique key (the statement is undone;
 * run again, it replays that request's answer); within an hour of a month boundary, where the two
 * requests' rows would land in two partitions whose unique indexes cannot see each other, a
 * guard row per key in `usage_key_guard` makes them collide in the same way; a counter deleted by
 * step 3 of another request between steps 1 and 2 makes step 2 write nothing and say so. A lost
 * connection is retried once: the keys make the second run count nothing the first had committed.
 */
export class UsageLedger {
  /**
   * Counters this process has seen exist, so step 1 is skipped for them (a hot counter costs one
   * statement per batch). Bounded; only a hint: a counter deleted meanwhile makes step 2 say so,
   * and the segment runs again with step 1.
   */
  private readonly known = new Set<string>();

  constructor(private readonly orm: MikroORM) {}

  /**
   * Counts `events` in order; one answer per event, in the same order. A large batch is split by
   * account into parts counted at once on separate connections: accounts share no counter and no
   * key, so each part keeps one-at-a-time semantics on its own, and every process puts an account
   * in the same part, so no statement ever waits for a lock of another part.
   */
  async count(events: LedgerEvent[], now: Date): Promise<LedgerAnswer[]> {
    if (events.length < PARALLEL_FROM) return this.countInOrder(events, now);
    const parts: { positions: number[]; events: LedgerEvent[] }[] = Array.from({ length: PARTS }, () => ({ positions: [], events: [] }));
    events.forEach((event, position) => {
      const part = parts[partOf(event.accountId)]!;
      part.positions.push(position);
      part.events.push(event);
    });
    const answers: LedgerAnswer[] = new Array(events.length);
    await Promise.all(parts.filter((part) => part.events.length).map(async (part) => {
      const counted = await this.countInOrder(part.events, now);
      part.positions.forEach((position, index) => (answers[position] = counted[index]!));
    }));
    return answers;
  }

  private async countInOrder(events: LedgerEvent[], now: Date): Promise<LedgerAnswer[]> {
    const answers: LedgerAnswer[] = [];
    for (const segment of segments(events)) answers.push(...(await this.countSegment(segment, now)));
    return answers;
  }

  private async countSegment(events: LedgerEvent[], now: Date): Promise<LedgerAnswer[]> {
    if (!events.length) return [];
    return retryOnConnectionFault(async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const em = this.orm.em.fork();
          const created = await createCounters(em, countersOf(events).filter((counter) => !this.known.has(counter.id)), now);
          const answers = await countLocked(em, events, now);
          if (answers) {
            await dropUnusedCounters(em, events, answers, created);
            await replayLateKeys(em, events, answers);
            this.remember(events, answers);
            return answers;
          }
          for (const counter of countersOf(events)) this.known.delete(counter.id);
        } catch (error) {
          // 23505: another request recorded one of these keys first; 40P01: a deadlock PostgreSQL broke.
          if (!hasSqlState(error, '23505', '40P01')) throw error;
        }
        if (attempt >= ATTEMPTS) throw new Error(`usage ledger: segment of ${events.length} events still racing after ${ATTEMPTS} attempts`);
      }
    });
  }

  /** Remembers the counters this segment counted into (they exist, and are not at 0). */
  private remember(events: LedgerEvent[], answers: LedgerAnswer[]): void {
    events.forEach((event, index) => {
      if (answers[index]!.kind !== 'counted') return;
      const id = counterOf(event);
      if (this.known.has(id)) return;
      if (this.known.size >= MAX_KNOWN_COUNTERS) this.known.delete(this.known.values().next().value!);
      this.known.add(id);
    });
  }
}

/** Batches of at least this many events are counted in PARTS parts at once (by account). */
const PARALLEL_FROM = 1000;
const PARTS = 4;

/** The part of a large batch an account's events go to: the same in every process (FNV-1a of its id). */
function partOf(accountId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i += 1) hash = Math.imul(hash ^ accountId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % PARTS;
}

/** Counters a process remembers as existing (about 100 bytes each). */
const MAX_KNOWN_COUNTERS = 100_000;

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
  if (run.length) runs.push(run);
  return runs;
}

/** Whether an event could be counted at all: it has access and fits under its cap on its own. */
function hopeful(event: LedgerEvent): boolean {
  return event.permitted && event.amount <= event.cap;
}

/** A counter's primary key, as SQL returns it. */
interface CounterKey {
  account_id: string;
  feature_key: string;
  period_start: Date;
}

/** A counter an event may count into, with its id (see counterOf). */
type Counter = CounterKey & { id: string };

function counterOf(event: Pick<LedgerEvent, 'accountId' | 'featureKey' | 'periodStart'>): string {
  return `${event.accountId}\u0000${event.featureKey}\u0000${event.periodStart.getTime()}`;
}

/** The counters events could count into, once each. */
function countersOf(events: LedgerEvent[]): Counter[] {
  const counters = new Map<string, Counter>();
  for (const event of events) {
    if (!hopeful(event)) continue;
    const id = counterOf(event);
    if (!counters.has(id)) counters.set(id, { id, account_id: event.accountId, feature_key: event.featureKey, period_start: event.periodStart });
  }
  return [...counters.values()];
}

/** Step 1: the missing counters among `counters`, created at 0 (in key order); returns those this statement created. */
async function createCounters(em: EntityManager, counters: Counter[], now: Date): Promise<CounterKey[]> {
  if (!counters.length) return [];
  return em.execute<CounterKey[]>(...named(
    `insert into usage_counter (account_id, feature_key, period_start, used, updated_at)
     select g.account_id, g.feature_key, g.period_start, 0, cast(:now as timestamptz)
     from json_to_recordset(cast(:counters as json)) as g(account_id text, feature_key text, period_start timestamptz)
     where not exists (select 1 from usage_counter c where c.account_id = g.account_id and c.feature_key = g.feature_key and c.period_start = g.period_start)
     order by 1, 2, 3
     on conflict (account_id, feature_key, period_start) do nothing
     returning account_id, feature_key, period_start`,
    { counters: JSON.stringify(counters.map(({ id: _id, ...key }) => key)), now: now.toISOString() },
  ));
}

/** Step 3: counters step 1 created that nothing was counted into go again (only while still at 0). */
async function dropUnusedCounters(em: EntityManager, events: LedgerEvent[], answers: LedgerAnswer[], created: CounterKey[]): Promise<void> {
  if (!created.length) return;
  const counted = new Set(events.filter((_event, index) => answers[index]!.kind === 'counted').map(counterOf));
  const unused = created.filter((counter) => !counted.has(counterOf({ accountId: counter.account_id, featureKey: counter.feature_key, periodStart: new Date(counter.period_start) })));
  if (!unused.length) return;
  await em.execute(...named(
    `delete from usage_counter c using json_to_recordset(cast(:counters as json)) as g(account_id text, feature_key text, period_start timestamptz)
     where c.account_id = g.account_id and c.feature_key = g.feature_key and c.period_start = g.period_start and c.used = 0`,
    { counters: JSON.stringify(unused) },
  ));
}

/**
 * Step 4, only for refused events: their keys looked up again, after the statement. Step 2 reads
 * the keys as of its start, but the counters as of its locks: a request with the same key that
 * committed in between was not seen, and is the reason this one did not fit. It came first, so
 * this one is its retry: answered with its answer, as it would have been one at a time.
 */
async function replayLateKeys(em: EntityManager, events: LedgerEvent[], answers: LedgerAnswer[]): Promise<void> {
  const refused = events.filter((_event, index) => answers[index]!.kind === 'skipped');
  if (!refused.length) return;
  const rows = await em.execute<{ account_id: string; idempotency_key: string; fingerprint: string | null; result: StoredResult | null }[]>(...named(
    `select distinct on (e.account_id, e.idempotency_key) e.account_id, e.idempotency_key, e.fingerprint, e.result
     from usage_event e
     where (e.account_id, e.idempotency_key) in (
       select account_id, idempotency_key from json_to_recordset(cast(:keys as json)) as k(account_id text, idempotency_key text))
       and e.ledger_month ${IN_KEY_WINDOW}
     order by e.account_id, e.idempotency_key, e.ledger_month`,
    { keys: JSON.stringify(refused.map((event) => ({ account_id: event.accountId, idempotency_key: event.idempotencyKey }))) },
  ));
  if (!rows.length) return;
  const found = new Map(rows.map((row) => [`${row.account_id}\u0000${row.idempotency_key}`, row]));
  events.forEach((event, index) => {
    const row = answers[index]!.kind === 'skipped' ? found.get(`${event.accountId}\u0000${event.idempotencyKey}`) : undefined;
    if (row?.result) answers[index] = { kind: 'replay', fingerprint: row.fingerprint, result: row.result };
  });
}

interface SegmentRow {
  pos: number;
  /** bigint: node-postgres returns it as a string. */
  used: string | null;
  accepted: string | null;
  replay_fingerprint: string | null;
  replay_result: StoredResult | null;
  /** false: a counter to count into was gone (deleted by another request's step 3); nothing was written. */
  complete: boolean;
}

/**
 * Step 2, one statement. `locked` takes every counter the segment may count into, FOR UPDATE:
 * rows another request changed since this statement began are re-read at their newest value, and
 * no one else changes them until this statement commits, so the values `usage_fit` starts from
 * are the values `bumped` adds to (the UPDATE of a row this statement locked proceeds on its
 * newest version). Counters of events that cannot be counted anyway are only read, for the answer.
 * Null when a counter was missing: nothing was written, run steps 1 and 2 again.
 */
async function countLocked(em: EntityManager, events: LedgerEvent[], now: Date): Promise<LedgerAnswer[] | null> {
  const rows = await executeBound<SegmentRow>(em,
    `with input as (
       select * from json_to_recordset(cast(:events as json)) as i(
         pos int, account_id text, feature_key text, period_start timestamptz, amount bigint, cap bigint, permitted boolean,
         hopeful boolean, idempotency_key text, fingerprint text, kind usage_event_kind, at_text text, actor text)
     ), locked as (
       select c.account_id, c.feature_key, c.period_start, c.used from usage_counter c
       where (c.account_id, c.feature_key, c.period_start) in (select account_id, feature_key, period_start from input where hopeful)
       order by c.account_id, c.feature_key, c.period_start
       for update
     ), complete as (
       select (select count(*) from locked) = (
         select count(*) from (select distinct account_id, feature_key, period_start from input where hopeful) as counters
       ) as ok
     ), existing as (
       select distinct on (e.account_id, e.idempotency_key) e.account_id, e.idempotency_key, e.fingerprint, e.result
       from usage_event e
       where (e.account_id, e.idempotency_key) in (select account_id, idempotency_key from input)
         and e.ledger_month ${IN_KEY_WINDOW}
       order by e.account_id, e.idempotency_key, e.ledger_month
     ), fitted as (
       select i.*, usage_fit(coalesce(l.used, c.used, 0), i.amount, i.cap, i.permitted and i.hopeful and (select ok from complete))
                     over (partition by i.account_id, i.feature_key, i.period_start order by i.pos rows unbounded preceding) as fit
       from input i
       left join locked l on l.account_id = i.account_id and l.feature_key = i.feature_key and l.period_start = i.period_start
       left join usage_counter c on c.account_id = i.account_id and c.feature_key = i.feature_key and c.period_start = i.period_start
       where not exists (select 1 from existing x where x.account_id = i.account_id and x.idempotency_key = i.idempotency_key)
     ), recorded as (
       insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint, result, actor)
       select account_id, feature_key, kind, amount, period_start, cast(at_text as timestamptz), idempotency_key, fingerprint,
              jsonb_build_object('used', fit[1], 'at', at_text), actor
       from fitted where fit[2] = 1
       returning account_id, feature_key, period_start, amount, idempotency_key
     ), guarded as (
       insert into usage_key_guard (account_id, idempotency_key)
       select account_id, idempotency_key from recorded where ${NEAR_MONTH_BOUNDARY}
       returning 1
     ), bumped as (
       update usage_counter c set used = c.used + r.total, updated_at = cast(:now as timestamptz)
       from (select account_id, feature_key, period_start, sum(amount) as total from recorded group by 1, 2, 3) r
       where c.account_id = r.account_id and c.feature_key = r.feature_key and c.period_start = r.period_start
       returning 1
     )
     select i.pos, f.fit[1] as used, f.fit[2] as accepted, x.fingerprint as replay_fingerprint, x.result as replay_result,
            (select ok from complete) as complete, (select count(*) from bumped) + (select count(*) from guarded) as written
     from input i
     left join fitted f on f.pos = i.pos
     left join existing x on x.account_id = i.account_id and x.idempotency_key = i.idempotency_key
     order by i.pos`,
    {
      events: JSON.stringify(events.map((event, pos) => {
        return {
          pos, account_id: event.accountId, feature_key: event.featureKey, period_start: event.periodStart, amount: event.amount,
          cap: event.cap, permitted: event.permitted, hopeful: hopeful(event), idempotency_key: event.idempotencyKey,
          fingerprint: event.fingerprint, kind: event.kind, at_text: event.at.toISOString(), actor: event.actor,
        };
      })),
      now: now.toISOString(),
    },
  );
  if (rows.length && !rows[0]!.complete) return null;
  return rows.map((row): LedgerAnswer => {
    if (row.replay_result) return { kind: 'replay', fingerprint: row.replay_fingerprint, result: row.replay_result };
    return { kind: row.accepted === '1' ? 'counted' : 'skipped', used: fromBigint(row.used ?? 0) };
  });
}

/** True within an hour (database time, UTC) of the start or end of a month. */
const NEAR_MONTH_BOUNDARY = `(now() at time zone 'UTC' < date_trunc('month', now() at time zone 'UTC') + interval '1 hour'
  or now() at time zone 'UTC' >= date_trunc('month', now() at time zone 'UTC') + interval '1 month' - interval '1 hour')`;

/**
 * The statement that records a keyed write outside {@link UsageLedger} (release) adds this CTE,
 * naming its inserted ledger rows `recorded`: near a month boundary, the key's guard row.
 */
export const KEY_GUARD = `guarded as (
  insert into usage_key_guard (account_id, idempotency_key)
  select account_id, idempotency_key from recorded where ${NEAR_MONTH_BOUNDARY}
  returning 1
)`;

/**
 * The ledger months a key lookup searches, as a condition on `ledger_month`: from the month
 * KEY_WINDOW_DAYS ago (so at least that many days) to this one (the months ahead are empty; not
 * probing their indexes saves a third of the lookup).
 */
export const IN_KEY_WINDOW = `between (date_trunc('month', (now() - interval '${KEY_WINDOW_DAYS} days') at time zone 'UTC'))::date
  and (date_trunc('month', now() at time zone 'UTC'))::date`;
