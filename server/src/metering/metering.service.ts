import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/index.js';
import { actorName, auditActor, type Principal } from '../access/index.js';
import type { Clock } from '../clock.js';
import { named, retryOnConnectionFault, type ChangeFeed } from '../db/index.js';
import { findUpgradeOffers, type UpgradeOffer } from '../offers/index.js';
import { FEATURE_KIND_RULES } from '../vocabulary/index.js';
import type { Decision } from '../entitlements/index.js';
import type { DecisionInputs, EntitlementsService } from '../entitlements/index.js';
import { evaluate, evaluateAccess, type CountingPeriod, type Evaluation } from '../entitlements/index.js';
import type { CatalogFeature } from '../entitlements/index.js';
import { badUserInput, fromBigint, MAX_QUANTITY, quantityOutOfRange, validateInput } from '../validation/index.js';
import { featureNotMetered, idempotencyConflict } from './metering.errors.js';
import {
  consumeSchema,
  MAX_BATCH,
  setUsageSchema,
  usageEventSchema,
  type ConsumeValues,
  type SetUsageValues,
  type UsageEventValues,
} from './metering.validation.js';
import type { UsageEventKind } from '../vocabulary/index.js';
import type { UsageReader } from './usage-reader.js';

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

/** The outcome of one event of a reportUsage batch. */
export type ReportedEvent =
  | { status: 'ACCEPTED' | 'REFUSED' | 'DUPLICATE'; idempotencyKey: string; outcome: MeteringOutcome }
  | { status: 'FAILED'; idempotencyKey: string | null; code: string; message: string };

/** The first answer to an idempotency key, kept in the ledger row and replayed to retries. */
interface StoredResult {
  used: number;
  at: string;
}

interface CountRow {
  /** bigint: node-postgres returns it as a string. */
  used: string | null;
  replay_result: StoredResult | null;
  replay_fingerprint: string | null;
}

/** Reported events may carry clocks a little ahead of ours. */
const FUTURE_SKEW_MS = 5 * 60_000;
/**
 * How far back a reported event may be dated: 35 days (a monthly batch that arrives a few days
 * late still counts), or further back to the start of the feature's current period.
 */
const BACKDATING_WINDOW_MS = 35 * 24 * 3_600_000;

/**
 * Counts usage: consume, release, setUsage and reportUsage. Each counting request is ONE SQL
 * statement, so a hard limit can never be passed and a retried key counts once, whatever the
 * concurrency. No transaction is held open around it.
 */
export class MeteringService {
  constructor(
    private readonly orm: MikroORM,
    private readonly entitlements: EntitlementsService,
    private readonly usage: UsageReader,
    private readonly clock: Clock,
    private readonly feed: ChangeFeed,
  ) {}

  /** Counts `amount` units if the limit allows it; refused requests record nothing. */
  async consume(actor: Principal, input: ConsumeValues): Promise<MeteringOutcome> {
    const values = validateInput(consumeSchema, input);
    const inputs = await this.entitlements.inputsFor(values.accountId, values.feature);
    const now = this.clock();
    const evaluation = countingEvaluation(inputs, now, 'consume', 'countable');
    const outcome = await this.count('CONSUME', actor, inputs, evaluation, values.amount, values.idempotencyKey, now);
    if (outcome.ok) return outcome;
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
    const em = this.orm.em.fork();
    // One statement: the replay check, the decrement (floored at zero) and the ledger row.
    const [row] = await this.runKeyed(() =>
      em.execute<CountRow[]>(...named(
        `with existing as (
           select result, fingerprint from usage_event where account_id = :accountId and idempotency_key = :key
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
           returning id
         )
         select (select used from released) as used, (select result from existing) as replay_result,
                (select fingerprint from existing) as replay_fingerprint, (select count(*) from recorded) as recorded`,
        {
          accountId: values.accountId, feature: inputs.feature.key, periodStart, at: now, atText: now.toISOString(),
          amount: values.amount, key, fingerprint, actor: actorName(actor),
        },
      )),
    );
    if (row!.replay_result) return this.replay(inputs, row!, fingerprint, key, values.amount);
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
   * fails alone.
   */
  async reportUsage(actor: Principal, events: UsageEventValues[]): Promise<ReportedEvent[]> {
    if (events.length > MAX_BATCH) {
      throw badUserInput([{ path: 'events', message: `at most ${MAX_BATCH} events per call; split the batch` }]);
    }
    const results: ReportedEvent[] = [];
    for (const [index, event] of events.entries()) {
      results.push(await this.reportOne(actor, event, index));
    }
    return results;
  }

  /** Used, limit and period of one feature for one account. */
  async usageOf(accountId: string, featureKey: string): Promise<UsageView> {
    const inputs = await this.entitlements.inputsFor(accountId, featureKey);
    return this.view(inputs, this.clock());
  }

  private async reportOne(actor: Principal, event: UsageEventValues, index: number): Promise<ReportedEvent> {
    const key = typeof event.idempotencyKey === 'string' ? event.idempotencyKey : null;
    try {
      const values = validateInput(usageEventSchema, event);
      const now = this.clock();
      const at = values.timestamp ?? now;
      if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) {
        throw badUserInput([{ path: 'timestamp', message: 'must not be more than 5 minutes in the future' }]);
      }
      const inputs = await this.entitlements.inputsFor(values.accountId, values.feature);
      const evaluation = countingEvaluation(inputs, at, 'reportUsage', 'reportable');
      const earliest = this.earliestReportable(inputs, now);
      if (at < earliest) {
        throw badUserInput([{
          path: 'timestamp',
          message: `must be ${earliest.toISOString()} or later: events may be back-dated 35 days, or to the start of the feature's current period`,
        }]);
      }
      // The fingerprint covers what the client sent: a retry without a timestamp is the same
      // request, although "now" has moved on.
      const outcome = await this.count('REPORT', actor, inputs, evaluation, values.amount, values.idempotencyKey, at, values.timestamp ?? null);
      const status = outcome.ok ? 'ACCEPTED' : 'REFUSED';
      return { status: outcome.replayed ? 'DUPLICATE' : status, idempotencyKey: values.idempotencyKey, outcome };
    } catch (error) {
      // Every failure is this event's alone: the events before it stay counted, and the client
      // learns exactly which did not. Errors without a code are internal: logged by the caller.
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (typeof code !== 'string') throw error;
      return { status: 'FAILED', idempotencyKey: key, code, message: `events.${index}: ${(error as Error).message}` };
    }
  }

  /** The earliest instant a reported event may carry for this feature and account. */
  private earliestReportable(inputs: DecisionInputs, now: Date): Date {
    const current = evaluateAccess(inputs.catalog, inputs.account, inputs.feature.key, now).counting?.start;
    const window = new Date(now.getTime() - BACKDATING_WINDOW_MS);
    return current && current < window ? current : window;
  }

  /**
   * The atomic check-and-increment. One statement does, in order: look for an earlier request
   * with this idempotency key; add `amount` to the period's counter only if no such request
   * exists, access is granted, and the sum stays within the limit (the WHERE of ON CONFLICT
   * runs on the locked row, so concurrent requests cannot both pass the last unit); and write the
   * ledger row only if the counter moved. A refused request changes nothing.
   */
  private async count(
    kind: UsageEventKind,
    actor: Principal,
    inputs: DecisionInputs,
    evaluation: CountedEvaluation,
    amount: number,
    key: string,
    at: Date,
    sentTimestamp: Date | null = null,
  ): Promise<MeteringOutcome> {
    const { account, feature } = inputs;
    // Access alone (as if nothing were used yet): whether anything may be counted at all, and
    // the limit the statement must hold.
    const access = evaluation.decide(0, amount);
    const permitted = access.allowed || access.reason === 'LIMIT_REACHED';
    const blockingLimit = access.overage === 'BLOCK' ? access.limit : null;
    const periodStart = evaluation.counting.start;
    const fingerprint = fingerprintOf(kind, feature.key, amount, sentTimestamp);
    const em = this.orm.em.fork();
    // Besides the limit, no counter may pass MAX_QUANTITY (overage ALLOW and unlimited included):
    // clients read counters as JSON numbers, exact only up to 2^53-1.
    const [row] = await this.runKeyed(() =>
      em.execute<CountRow[]>(...named(
        `with existing as (
           select result, fingerprint from usage_event where account_id = :accountId and idempotency_key = :key
         ), counted as (
           insert into usage_counter as c (account_id, feature_key, period_start, used, updated_at)
           select :accountId, :feature, :periodStart, :amount, :at
           where not exists (select 1 from existing) and cast(:permitted as boolean)
             and (cast(:limit as bigint) is null or :amount <= cast(:limit as bigint))
           on conflict (account_id, feature_key, period_start)
           do update set used = c.used + excluded.used, updated_at = excluded.updated_at
           where (cast(:limit as bigint) is null or c.used + excluded.used <= cast(:limit as bigint))
             and c.used + excluded.used <= ${MAX_QUANTITY}
           returning c.used
         ), recorded as (
           insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint, result, actor)
           select :accountId, :feature, cast(:kind as usage_event_kind), :amount, :periodStart, :at, :key, :fingerprint,
                  jsonb_build_object('used', counted.used, 'at', cast(:atText as text)), :actor from counted
           returning id
         )
         select (select used from counted) as used, (select result from existing) as replay_result,
                (select fingerprint from existing) as replay_fingerprint, (select count(*) from recorded) as recorded`,
        {
          accountId: account.accountId, feature: feature.key, periodStart, at, atText: at.toISOString(), amount, kind,
          permitted, limit: blockingLimit, key, fingerprint, actor: actorName(actor),
        },
      )),
    );
    if (row!.replay_result) return this.replay(inputs, row!, fingerprint, key, amount);
    if (row!.used === null) {
      // Refused: say why, with the counter as it is now and the amount that did not fit.
      const used = await this.usage.load(account.accountId, feature.key, periodStart);
      if (permitted && blockingLimit === null && used + amount > MAX_QUANTITY) {
        throw quantityOutOfRange(`Counting ${amount} more would take ${feature.key} past the largest counter (it is at ${used}); nothing was counted`, 'amount');
      }
      const decision = evaluation.decide(used, amount);
      return { ok: false, accountId: account.accountId, feature, decision, amount, overage: 0, replayed: false, offers: [], asOf: at };
    }
    this.usageChanged(account.accountId, feature.key);
    return this.counted(inputs, evaluation.decide(fromBigint(row!.used)), amount, at);
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
  private replay(inputs: DecisionInputs, row: CountRow, fingerprint: string, key: string, amount: number): MeteringOutcome {
    if (row.replay_fingerprint !== fingerprint) throw idempotencyConflict(key);
    const stored = row.replay_result!;
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

function fingerprintOf(kind: UsageEventKind, feature: string, amount: number, timestamp: Date | null): string {
  return createHash('sha256')
    .update(JSON.stringify([kind, feature, amount, timestamp?.toISOString() ?? null]))
    .digest('hex');
}

/** An evaluation of a feature that has a usage counter. */
type CountedEvaluation = Evaluation & { counting: CountingPeriod };

/**
 * The feature's evaluation at `at`, refusing (FEATURE_NOT_METERED) a kind `operation` does not
 * apply to, as the kind rules table says.
 */
function countingEvaluation(
  inputs: DecisionInputs,
  at: Date,
  operation: string,
  rule: 'countable' | 'releasable' | 'reportable',
): CountedEvaluation {
  const evaluation = evaluateAccess(inputs.catalog, inputs.account, inputs.feature.key, at);
  if (!FEATURE_KIND_RULES[inputs.feature.kind][rule] || !evaluation.counting) {
    throw featureNotMetered(inputs.feature.key, inputs.feature.kind, operation, rule);
  }
  return { ...evaluation, counting: evaluation.counting };
}
