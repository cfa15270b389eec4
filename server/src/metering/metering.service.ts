import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/index.js';
import { actorName, auditActor, type Principal } from '../access/index.js';
import type { Clock } from '../clock.js';
import { named, retryOnConnectionFault, type ChangeFeed } from '../db/index.js';
import { findUpgradeOffers, type UpgradeOffer } from '../offers/index.js';
import type { Decision } from '../entitlements/index.js';
import type { DecisionInputs, EntitlementsService } from '../entitlements/index.js';
import { evaluate } from '../entitlements/index.js';
import type { CatalogFeature } from '../entitlements/index.js';
import { badUserInput, fromBigint, MAX_QUANTITY, quantityOutOfRange, validateInput } from '../validation/index.js';
import { idempotencyConflict } from './metering.errors.js';
import {
  consumeSchema,
  MAX_BATCH,
  setUsageSchema,
  type ConsumeValues,
  type SetUsageValues,
  type UsageEventValues,
} from './metering.validation.js';
import type { DecisionReason } from '../vocabulary/index.js';
import { countingEvaluation, fingerprintOf, ledgerEvent, type CountedEvaluation } from './counting-evaluation.js';
import { ReportPreparation, type CheckedEvent } from './report-preparation.js';
import type { UsageReader } from './usage-reader.js';
import { ConsumeCoalescer } from './consume-coalescer.js';
import { IN_KEY_WINDOW, KEY_GUARD, UsageLedger, type LedgerAnswer, type LedgerEvent, type StoredResult } from './usage-ledger.js';

/** The answer to consume, release or one reported event. */
export interface MeteringOutcome {
  ok: boolean;
  accountId: string;
  feature: CatalogFeature;
  /** The entitlement after the request (or, when refused, why it was refused). */
  decision: Decision;
  /** The amount asked for. */
  amount: number;
  /** Units of this request recorded past the limit (overage ALLOW only). */
  overage: number;
  /** The answer was replayed from the ledger: the idempotency key had been counted before. */
  replayed: boolean;
  /** A refused consume: what would unlock it, cheapest first. Empty otherwise. */
  offers: UpgradeOffer[];
  /** The instant the decision was made for (a replay: when the key was first counted). */
  asOf: Date;
}

/** Usage of one feature in its current period. */
export interface UsageView {
  feature: CatalogFeature;
  decision: Decision;
  periodStart: Date | null;
  periodEnd: Date | null;
}

/** The outcome of one event of a reportUsage batch: `used` is the counter of the event's period after it. */
export type ReportedEvent =
  | { status: 'ACCEPTED' | 'DUPLICATE'; idempotencyKey: string; used: number }
  | { status: 'REFUSED'; idempotencyKey: string; used: number; reason: DecisionReason }
  | { status: 'FAILED'; idempotencyKey: string | null; code: string; message: string };

interface CountRow {
  /** bigint: node-postgres returns it as a string. */
  used: string | null;
  replay_result: StoredResult | null;
  replay_fingerprint: string | null;
}

/** An event of a reportUsage batch on its way to the ledger, with what its answer needs. */
interface PreparedEvent {
  index: number;
  event: LedgerEvent;
  evaluation: CountedEvaluation;
}

/** Consume batches in flight at once (the coalescer's concurrency) and the most one batch takes. */
const CONSUME_CONCURRENCY = 4;
const CONSUME_MAX_BATCH = 1000;

/**
 * Counts usage: consume, release, setUsage and reportUsage. Counting goes through the usage
 * ledger's set-based statements (usage-ledger.ts): a reportUsage batch is a few
 * statements, and concurrent consumes are coalesced into one (consume-coalescer.ts). Either way a
 * hard limit can never be passed, each request gets the answer it would have got alone, in order,
 * and a retried key counts once, whatever the concurrency.
 */
export class MeteringService {
  private readonly ledger: UsageLedger;
  private readonly coalescer: ConsumeCoalescer;

  constructor(
    private readonly orm: MikroORM,
    private readonly entitlements: EntitlementsService,
    private readonly usage: UsageReader,
    private readonly clock: Clock,
    private readonly feed: ChangeFeed,
  ) {
    this.ledger = new UsageLedger(orm);
    this.coalescer = new ConsumeCoalescer(this.ledger, { concurrency: CONSUME_CONCURRENCY, maxBatch: CONSUME_MAX_BATCH });
  }

  /** Told of every consume's outcome (the metrics count refusals by reason); set by the composition root. */
  onConsume: (outcome: MeteringOutcome) => void = () => {};

  /**
   * Counts `amount` units if the limit allows it; refused requests record nothing. Concurrent
   * consumes are counted together (group commit), each answered as if it had come alone.
   */
  async consume(actor: Principal, input: ConsumeValues): Promise<MeteringOutcome> {
    const outcome = await this.countConsume(actor, input);
    this.onConsume(outcome);
    return outcome;
  }

  private async countConsume(actor: Principal, input: ConsumeValues): Promise<MeteringOutcome> {
    const values = validateInput(consumeSchema, input);
    const inputs = await this.entitlements.inputsFor(values.accountId, values.feature);
    const now = this.clock();
    const evaluation = countingEvaluation(inputs, now, 'consume', 'countable');
    const event = ledgerEvent('CONSUME', actor, inputs, evaluation, values.amount, values.idempotencyKey, now, null);
    const answer = await this.coalescer.count(event, now);
    if (answer.kind === 'replay') return this.replay(inputs, answer.fingerprint, answer.result, event.fingerprint, event.idempotencyKey, values.amount);
    if (answer.kind === 'counted') {
      this.usageChanged(values.accountId, inputs.feature.key);
      return this.counted(inputs, evaluation.decide(answer.used), values.amount, now);
    }
    const outcome = this.refused(inputs, evaluation, event, answer.used);
    // The offers are found from the inputs and the counter the refusal was decided with, so they
    // answer exactly the request that was refused.
    const usage = new Map([[inputs.feature.key, outcome.decision.used]]);
    return { ...outcome, offers: findUpgradeOffers(inputs.catalog, inputs.account, usage, inputs.feature.key, now, values.amount) };
  }

  /** Gives units of a QUANTITY feature back; the gauge never goes below zero. */
  async release(actor: Principal, input: ConsumeValues): Promise<MeteringOutcome> {
    const values = validateInput(consumeSchema, input);
    const inputs = await this.entitlements.inputsFor(values.accountId, values.feature);
    const now = this.clock();
    const evaluation = countingEvaluation(inputs, now, 'release', 'releasable');
    const periodStart = evaluation.counting.start;
    const fingerprint = fingerprintOf('RELEASE', inputs.feature.key, values.amount, null);
    const key = values.idempotencyKey;
    // One statement: the replay check, the decrement (floored at zero) and the ledger row (with its
    // key's guard near a month boundary: usage-ledger.ts says why).
    const em = this.orm.em.fork();
    const [row] = await this.runKeyed(() =>
      em.execute<CountRow[]>(...named(
        `with existing as (
           select result, fingerprint from usage_event where account_id = :accountId and idempotency_key = :key
             and ledger_month ${IN_KEY_WINDOW} order by ledger_month limit 1
         ), released as (
           insert into usage_counter as c (account_id, feature_key, period_start, used, updated_at)
           select :accountId, :feature, :periodStart, 0, :at where not exists (select 1 from existing)
           on conflict (account_id, feature_key, period_start)
           do update set used = greatest(c.used - :amount, 0), updated_at = excluded.updated_at
           returning c.used
         ), recorded as (
           insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint, result, actor)
           select :accountId, :feature, 'RELEASE', :amount, :periodStart, :at, :key, :fingerprint,
                  jsonb_build_object('used', released.used, 'at', cast(:atText as text)), :actor from released
           returning account_id, idempotency_key
         ), ${KEY_GUARD}
         select (select used from released) as used, (select result from existing) as replay_result,
                (select fingerprint from existing) as replay_fingerprint, (select count(*) from recorded) + (select count(*) from guarded) as recorded`,
        {
          accountId: values.accountId, feature: inputs.feature.key, periodStart, at: now, atText: now.toISOString(),
          amount: values.amount, key, fingerprint, actor: actorName(actor),
        },
      )),
    );
    if (row!.replay_result) return this.replay(inputs, row!.replay_fingerprint, row!.replay_result, fingerprint, key, values.amount);
    this.usageChanged(values.accountId, inputs.feature.key);
    return this.counted(inputs, evaluation.decide(fromBigint(row!.used!)), values.amount, now);
  }

  /** Sets a gauge (or corrects a period's usage) to an exact value; audited, with a reason. */
  async setUsage(actor: Principal, input: SetUsageValues): Promise<UsageView> {
    const values = validateInput(setUsageSchema, input);
    const inputs = await this.entitlements.inputsFor(values.accountId, values.feature);
    const now = this.clock();
    const periodStart = countingEvaluation(inputs, now, 'setUsage', 'countable').counting.start;
    await this.orm.em.fork().transactional(async (em) => {
      const [before] = await em.execute<{ used: string }[]>(
        'select used from usage_counter where account_id = ? and feature_key = ? and period_start = ? for update',
        [values.accountId, inputs.feature.key, periodStart],
      );
      await em.execute(
        `insert into usage_counter (account_id, feature_key, period_start, used, updated_at) values (?, ?, ?, ?, ?)
         on conflict (account_id, feature_key, period_start) do update set used = excluded.used, updated_at = excluded.updated_at`,
        [values.accountId, inputs.feature.key, periodStart, values.value, now],
      );
      await em.execute(
        `insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, actor)
         values (?, ?, 'SET', ?, ?, ?, ?)`,
        [values.accountId, inputs.feature.key, values.value, periodStart, now, actorName(actor)],
      );
      recordAudit(em, {
        actor: auditActor(actor), action: 'usage.set', entityType: 'UsageCounter',
        entityId: `${values.accountId}/${inputs.feature.key}@${periodStart.toISOString()}`, accountId: values.accountId,
        before: { used: fromBigint(before?.used ?? 0) }, after: { used: values.value }, reason: values.reason,
      }, now);
      await em.flush();
    });
    this.usageChanged(values.accountId, inputs.feature.key);
    return this.view(inputs, now);
  }

  /**
   * Records a batch of usage that already happened, each event in the period of its own
   * timestamp and under its own idempotency key. One result per event, in order; a bad event
   * fails alone. Set-based: the events are checked and evaluated here, then counted by the ledger
   * in a few statements, with exactly the answers one-at-a-time counting in
   * batch order gives (usage-ledger.ts).
   */
  async reportUsage(actor: Principal, events: UsageEventValues[]): Promise<ReportedEvent[]> {
    if (events.length > MAX_BATCH) {
      throw badUserInput([{ path: 'events', message: `at most ${MAX_BATCH} events per call; split the batch` }]);
    }
    const now = this.clock();
    const results: ReportedEvent[] = new Array(events.length);
    const prepared: PreparedEvent[] = [];
    const preparing = new ReportPreparation(this.entitlements, now, actorName(actor));
    const checked: { index: number; values: CheckedEvent }[] = [];
    for (const [index, event] of events.entries()) {
      try {
        checked.push({ index, values: preparing.check(event) });
      } catch (error) {
        results[index] = failed(error, event, index);
      }
    }
    for (const { index, values } of checked) {
      try {
        prepared.push({ index, ...(await preparing.prepare(values)) });
      } catch (error) {
        results[index] = failed(error, events[index]!, index);
      }
    }
    const answers = await this.ledger.count(prepared.map((entry) => entry.event), now);
    const changed = new Map<string, [string, string]>();
    prepared.forEach((entry, position) => {
      const answer = answers[position]!;
      const { event, index } = entry;
      try {
        results[index] = this.reported(entry, answer);
      } catch (error) {
        results[index] = failed(error, { idempotencyKey: event.idempotencyKey }, index);
      }
      if (answer.kind === 'counted') changed.set(`${event.accountId}\u0000${event.featureKey}`, [event.accountId, event.featureKey]);
    });
    for (const [accountId, featureKey] of changed.values()) this.usageChanged(accountId, featureKey);
    return results;
  }

  /** Used, limit and period of one feature for one account. */
  async usageOf(accountId: string, featureKey: string): Promise<UsageView> {
    const inputs = await this.entitlements.inputsFor(accountId, featureKey);
    return this.view(inputs, this.clock());
  }

  /** One reported event's result from the ledger's answer; throws the event's own error (a conflict, an overflow). */
  private reported({ event, evaluation }: PreparedEvent, answer: LedgerAnswer): ReportedEvent {
    const key = event.idempotencyKey;
    if (answer.kind === 'replay') {
      if (answer.fingerprint !== event.fingerprint) throw idempotencyConflict(key);
      return { status: 'DUPLICATE', idempotencyKey: key, used: answer.result.used };
    }
    if (answer.kind === 'counted') return { status: 'ACCEPTED', idempotencyKey: key, used: answer.used };
    overflowCheck(event, answer.used);
    return { status: 'REFUSED', idempotencyKey: key, used: answer.used, reason: evaluation.decide(answer.used, event.amount).reason };
  }

  /** A consume the ledger did not count: why, with the counter it was refused at and the amount that did not fit. */
  private refused(inputs: DecisionInputs, evaluation: CountedEvaluation, event: LedgerEvent, used: number): MeteringOutcome {
    overflowCheck(event, used);
    const decision = evaluation.decide(used, event.amount);
    return { ok: false, accountId: event.accountId, feature: inputs.feature, decision, amount: event.amount, overage: 0, replayed: false, offers: [], asOf: event.at };
  }

  /**
   * Usage of one feature moved: this process's cached counter is dropped at once, and every
   * process (live updates included) hears of it through the change feed.
   */
  private usageChanged(accountId: string, featureKey: string): void {
    this.usage.forget(accountId, featureKey);
    this.feed.announce({ scope: 'usage', accountId, featureKey });
  }

  /** The first answer to this key, rebuilt from the ledger exactly as it was given. */
  private replay(inputs: DecisionInputs, storedFingerprint: string | null, stored: StoredResult, fingerprint: string, key: string, amount: number): MeteringOutcome {
    if (storedFingerprint !== fingerprint) throw idempotencyConflict(key);
    const at = new Date(stored.at);
    const decision = evaluate(inputs.catalog, inputs.account, new Map([[inputs.feature.key, stored.used]]), inputs.feature.key, at);
    return { ...this.counted(inputs, decision, amount, at), replayed: true };
  }

  /** The answer to a counted request: `decision` is the entitlement after it, at the instant it was counted. */
  private counted(inputs: DecisionInputs, decision: Decision, amount: number, asOf: Date): MeteringOutcome {
    const used = decision.used;
    const overage = decision.limit === null ? 0 : Math.min(amount, Math.max(0, used - decision.limit));
    return { ok: true, accountId: inputs.account.accountId, feature: inputs.feature, decision, amount, overage, replayed: false, offers: [], asOf };
  }

  private async view(inputs: DecisionInputs, now: Date): Promise<UsageView> {
    const decision = await this.entitlements.decide(inputs, now);
    return { feature: inputs.feature, decision, periodStart: decision.periodStart, periodEnd: decision.resetsAt };
  }

  /**
   * Runs one keyed counting statement to its answer. Two requests with one new key race: both
   * pass the "existing" check, the second's ledger insert meets the first's unique key and its
   * whole statement (counter included) is undone; run it again and it replays the first answer.
   * A lost connection is retried once for the same reason: the key makes the second run count
   * nothing if the first had counted.
   */
  private async runKeyed<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await retryOnConnectionFault(run);
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException) || attempt >= 3) throw error;
      }
    }
  }
}

/** A refused event that had no blocking limit did not fit under the largest counter: its own error. */
function overflowCheck(event: LedgerEvent, used: number): void {
  if (event.permitted && !event.blocking && used + event.amount > MAX_QUANTITY) {
    throw quantityOutOfRange(`Counting ${event.amount} more would take ${event.featureKey} past the largest counter (it is at ${used}); nothing was counted`, 'amount');
  }
}

/**
 * A failed event's result. Every failure is this event's alone: the events around it stay counted,
 * and the client learns exactly which did not. Errors without a code are internal: rethrown, for
 * the caller to log.
 */
function failed(error: unknown, event: { idempotencyKey?: unknown }, index: number): ReportedEvent {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  if (typeof code !== 'string') throw error;
  const key = typeof event.idempotencyKey === 'string' ? event.idempotencyKey : null;
  return { status: 'FAILED', idempotencyKey: key, code, message: `events.${index}: ${(error as Error).message}` };
}
