import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { isConnectionFault, named, type ChangeFeed } from '../db/index.js';
import type { BillingInterval, PlanChangeTiming, PlanMigrationOutcome, PlanMigrationReason } from '../vocabulary/index.js';
import { migratedSubscription } from './migration-diff.js';
import { selectionValues, VERDICT_SQL, type Selection } from './selection.js';
import { subscriptionState, type SubscriptionColumns } from './sql-values.js';

/** Accounts per batch: each batch is one transaction of a few multi-row statements. */
export const BATCH_SIZE = 500;

/** A RUNNING migration as its batches need it. */
interface RunState extends Selection {
  id: string;
  actor: string;
  reason: string;
}

/** A subscription row as a batch reads it, locked, with the migration's verdict on it. */
interface SubscriptionRow extends SubscriptionColumns {
  id: string;
  interval: BillingInterval;
  verdict: 'MOVE' | PlanMigrationReason;
}

/**
 * A batch reads 500 rows of tables of any size through their keys. With the default
 * random_page_cost (4, for spinning disks) the planner prefers reading a whole table of 100,000
 * rows once per batch to 500 index lookups, which makes a migration quadratic; 1.1 is the usual
 * setting for data in memory or on SSD. Local to the transaction.
 */
export const BATCH_COSTS_SQL = `select set_config('random_page_cost', '1.1', true)`;

/**
 * A batch's commit does not wait for its WAL to reach the disk (synchronous_commit off, for this
 * transaction only). Safe here, and only here: if PostgreSQL itself crashes, the batches lost
 * with its last fraction of a second lose their claim rows too, so they are PENDING again and the
 * resumed migration redoes them exactly once. Completing the migration is an ordinary commit,
 * which flushes every batch before it: a COMPLETED migration never loses a batch.
 */
const BATCH_SETTINGS_SQL = `select set_config('random_page_cost', '1.1', true), set_config('synchronous_commit', 'off', true)`;

/**
 * Claims the next accounts of a migration and locks them, as every account write locks its
 * account row first. SKIP LOCKED: two runners (two processes) share the work instead of waiting
 * for each other, and an account a request is changing right now is left for a later batch
 * rather than waited for, so a batch never waits on an account lock and cannot deadlock.
 */
const CLAIM_SQL = `select p.account_id from plan_migration_account p join account a on a.id = p.account_id
  where p.migration_id = :id and p.outcome = 'PENDING'
  order by p.account_id limit :size
  for update of p, a skip locked`;

/**
 * Selected accounts that no longer exist cannot be claimed (the claim joins their account row):
 * they fail with NO_SUBSCRIPTION before the migration completes.
 */
const SETTLE_GONE_SQL = `with gone as (
    update plan_migration_account p set outcome = 'FAILED', reason = 'NO_SUBSCRIPTION', settled_at = :now
    where p.migration_id = :id and p.outcome = 'PENDING' and not exists (select 1 from account a where a.id = p.account_id)
    returning 1
  )
  update plan_migration set failed = failed + (select count(*) from gone) where id = :id and exists (select 1 from gone)`;

/** The claimed accounts' subscriptions, locked, with the migration's verdict on each as it stands now. */
const READ_SQL = `select s.id, s.account_id, s.plan_version_id, s.status, s.trial_ends_at, s.grace_ends_at,
    s.current_period_start, s.current_period_end, s.add_ons, s.cancel_at_period_end, s.scheduled_plan_version_id, s.scheduled_change_at,
    pv.interval, ${VERDICT_SQL} as verdict
  from subscription s join plan_version pv on pv.id = s.plan_version_id
  where s.account_id = any(array[:ids]::text[])
  for update of s`;

/** A timestamp as the audit log's JSON shows it elsewhere (JavaScript's ISO form): '2026-03-10T12:00:00.000Z'. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The subscription `s` (with its version `pv`, plan `p`, scheduled version `spv` and plan `sp`) as the accounts service's audit entries show it. */
const SNAPSHOT_SQL = `jsonb_build_object(
    'plan', p.key, 'version', pv.version, 'status', s.status,
    'trialEndsAt', ${iso('s.trial_ends_at')}, 'graceEndsAt', ${iso('s.grace_ends_at')}, 'convertedAt', ${iso('s.converted_at')},
    'currentPeriodStart', ${iso('s.current_period_start')}, 'currentPeriodEnd', ${iso('s.current_period_end')},
    'addOns', s.add_ons, 'cancelAtPeriodEnd', s.cancel_at_period_end, 'canceledAt', ${iso('s.canceled_at')}, 'pinned', s.pinned,
    'scheduledChange', case when s.scheduled_plan_version_id is null then null
      else jsonb_build_object('plan', sp.key, 'version', spv.version, 'at', ${iso('s.scheduled_change_at')}) end,
    'billingProviderIds', s.billing_provider_ids)`;

/**
 * Everything a batch writes, as one statement: the moved subscriptions, one audit entry per moved
 * account (before and after built here, from the rows as the statement found them), each claimed
 * account's outcome, and the migration's counters. One statement and one transaction with the
 * claim: a crash leaves either all of a batch or none of it, and an account is settled exactly
 * when its subscription and audit entry are written. Arrays carry '' for null (the ORM's inlining
 * cannot put a null inside an array). The `= any()` conditions let the primary keys find the
 * batch's rows; a join alone may scan the whole table once per batch.
 */
const WRITE_SQL = `with moving as (
    select u.id::uuid as id, u.plan_version_id::uuid as plan_version_id, u.period_start::timestamptz as period_start,
      u.period_end::timestamptz as period_end, nullif(u.scheduled_version_id, '')::uuid as scheduled_version_id,
      nullif(u.scheduled_at, '')::timestamptz as scheduled_at
    from unnest(array[:subscriptionIds]::text[], array[:versionIds]::text[], array[:periodStarts]::text[],
                array[:periodEnds]::text[], array[:scheduledVersionIds]::text[], array[:scheduledAts]::text[])
      as u(id, plan_version_id, period_start, period_end, scheduled_version_id, scheduled_at)
  ), old as (
    select s.id, s.account_id, ${SNAPSHOT_SQL} as snapshot
    from subscription s
    join plan_version pv on pv.id = s.plan_version_id
    join plan p on p.id = pv.plan_id
    left join plan_version spv on spv.id = s.scheduled_plan_version_id
    left join plan sp on sp.id = spv.plan_id
    where s.id = any(array[:subscriptionIds]::uuid[])
  ), moved as (
    update subscription s
    set plan_version_id = m.plan_version_id, current_period_start = m.period_start, current_period_end = m.period_end,
        scheduled_plan_version_id = m.scheduled_version_id, scheduled_change_at = m.scheduled_at, updated_at = :now
    from moving m
    where s.id = any(array[:subscriptionIds]::uuid[]) and s.id = m.id
  ), audited as (
    insert into audit_entry (at, actor, actor_kind, actor_id, action, account_id, entity_type, entity_id, before, after, reason)
    select :now, :actor, 'MIGRATION', :id::text, 'subscription.migrate', o.account_id, 'Subscription', o.id::text, o.snapshot,
      o.snapshot || jsonb_build_object(
        'plan', case when m.plan_version_id = :target then to_jsonb(:targetPlan::text) else o.snapshot->'plan' end,
        'version', case when m.plan_version_id = :target then to_jsonb(:targetVersion::int) else o.snapshot->'version' end,
        'currentPeriodStart', ${iso('m.period_start')}, 'currentPeriodEnd', ${iso('m.period_end')},
        'scheduledChange', case when m.scheduled_version_id is null then o.snapshot->'scheduledChange'
          else jsonb_build_object('plan', :targetPlan::text, 'version', :targetVersion::int, 'at', ${iso('m.scheduled_at')}) end,
        'migrationId', :id::text, 'effective', :effective::text)
      , :reason
    from old o join moving m on m.id = o.id
  ), settled as (
    update plan_migration_account p
    set outcome = o.outcome::plan_migration_outcome, reason = nullif(o.reason, '')::plan_migration_reason, settled_at = :now
    from unnest(array[:settledIds]::text[], array[:outcomes]::text[], array[:reasons]::text[]) as o(account_id, outcome, reason)
    where p.migration_id = :id and p.account_id = any(array[:settledIds]::text[]) and p.account_id = o.account_id
  )
  update plan_migration set migrated = migrated + :migrated, skipped = skipped + :skipped, failed = failed + :failed
  where id = :id`;

/**
 * Runs plan migrations in batches of {@link BATCH_SIZE} accounts, each batch one transaction
 * announced through the change feed (every process drops those accounts' cached states).
 *
 * Progress lives in `plan_migration_account`: a batch claims PENDING rows and settles them in the
 * transaction that moves the subscriptions, so a crash (kill -9) loses at most an uncommitted
 * batch, and resuming finishes exactly the accounts left. Any process may run any RUNNING
 * migration: claims skip rows another runner holds, so two runners share the work and none is
 * done twice. Server start resumes every RUNNING migration ({@link resumeRunning}).
 */
export class PlanMigrationRunner {
  private readonly runs = new Map<string, { firstBatch: Promise<void>; done: Promise<void> }>();
  private readonly pauses = new Set<() => void>();
  private stopping = false;
  private onError: (error: Error, migrationId: string) => void = () => {};

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs the migration in this process unless it already runs here. `firstBatch` resolves once
   * the first batch has committed (or the run ended): startPlanMigration answers then, so a
   * migration of up to one batch has completed by its answer.
   */
  launch(id: string): { firstBatch: Promise<void>; done: Promise<void> } {
    const running = this.runs.get(id);
    if (running) return running;
    let firstBatchSettled!: () => void;
    const firstBatch = new Promise<void>((resolve) => (firstBatchSettled = resolve));
    const done = this.run(id, firstBatchSettled).finally(() => this.runs.delete(id));
    const run = { firstBatch, done };
    this.runs.set(id, run);
    return run;
  }

  /**
   * Resumes every RUNNING migration: those a crashed or stopped process left. Called once at
   * server start; `onError` hears of errors in background runs (they also mark the migration FAILED).
   */
  async resumeRunning(onError: (error: Error, migrationId: string) => void): Promise<void> {
    this.onError = onError;
    const open = await this.orm.em.fork().execute<{ id: string }[]>(`select id from plan_migration where status = 'RUNNING' order by started_at`);
    for (const { id } of open) this.launch(id);
  }

  /** Stops after the batches in flight commit; RUNNING migrations resume at the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.pauses) wake();
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private async run(id: string, firstBatchSettled: () => void): Promise<void> {
    try {
      const state = await this.load(id);
      if (!state) return;
      let faults = 0;
      let first = true;
      while (!this.stopping) {
        let claimed: number;
        try {
          claimed = await this.batch(state);
          faults = 0;
        } catch (error) {
          // A lost connection (a failover, a restart of PostgreSQL) rolled the batch back: try again, a few times.
          if (!isConnectionFault(error) || faults >= 5) throw error;
          faults += 1;
          await this.pause(250 * 2 ** faults);
          continue;
        }
        if (claimed > 0) {
          // The first batch may have been the whole migration: complete it before answering the start.
          if (first && (await this.complete(id, false))) return;
          first = false;
          firstBatchSettled();
          continue;
        }
        firstBatchSettled();
        if (await this.complete(id, true)) return;
        // PENDING rows remain that someone else holds: another runner, the open transaction of one
        // that died (until PostgreSQL rolls it back), or a request changing one of the accounts.
        // Wait, then claim whatever is left.
        if (!(await this.isRunning(id))) return;
        await this.pause(200);
      }
    } catch (error) {
      this.onError(error as Error, id);
      await this.fail(id, error as Error).catch((failure: Error) => this.onError(failure, id));
    } finally {
      firstBatchSettled();
    }
  }

  /** One batch: claim and lock, read, decide, write, announce. Returns how many accounts it claimed (0: none left to claim). */
  private async batch(state: RunState): Promise<number> {
    const now = this.clock();
    const result = await this.feed.write(
      this.orm.em,
      (done: { claimed: number; moved: string[] }) => ({ scope: 'accounts', accountIds: done.moved }),
      async (em) => {
        await em.execute(BATCH_SETTINGS_SQL);
        const claimed = await em.execute<{ account_id: string }[]>(...named(CLAIM_SQL, { id: state.id, size: BATCH_SIZE }));
        if (!claimed.length) return { claimed: 0, moved: [] };
        const ids = claimed.map((row) => row.account_id);
        const rows = await em.execute<SubscriptionRow[]>(...named(READ_SQL, { ...selectionValues(state, now), ids }));
        const moved = await this.write(em, state, ids, rows, now);
        return { claimed: ids.length, moved };
      },
    );
    return result.claimed;
  }

  /** Decides each claimed account and writes the batch in one statement; returns the accounts moved. */
  private async write(em: EntityManager, state: RunState, ids: string[], rows: SubscriptionRow[], now: Date): Promise<string[]> {
    const byAccount = new Map(rows.map((row) => [row.account_id, row]));
    const subscriptionIds: string[] = [];
    const versionIds: string[] = [];
    const periodStarts: string[] = [];
    const periodEnds: string[] = [];
    const scheduledVersionIds: string[] = [];
    const scheduledAts: string[] = [];
    const movedAccountIds: string[] = [];
    const outcomes: PlanMigrationOutcome[] = [];
    const reasons: string[] = [];
    const counts = { migrated: 0, skipped: 0, failed: 0 };

    for (const accountId of ids) {
      const row = byAccount.get(accountId);
      if (!row || row.verdict !== 'MOVE') {
        const reason: PlanMigrationReason = row ? row.verdict as PlanMigrationReason : 'NO_SUBSCRIPTION';
        const failed = reason === 'PLAN_CHANGED' || reason === 'NO_SUBSCRIPTION';
        outcomes.push(failed ? 'FAILED' : 'SKIPPED');
        reasons.push(reason);
        counts[failed ? 'failed' : 'skipped'] += 1;
        continue;
      }
      const after = migratedSubscription(subscriptionState(row), { id: row.plan_version_id, interval: row.interval }, state.target, state.effective, now);
      subscriptionIds.push(row.id);
      versionIds.push(after.planVersionId);
      periodStarts.push(after.currentPeriodStart!.toISOString());
      periodEnds.push(after.currentPeriodEnd!.toISOString());
      scheduledVersionIds.push(after.scheduledChange?.planVersionId ?? '');
      scheduledAts.push(after.scheduledChange?.at.toISOString() ?? '');
      movedAccountIds.push(accountId);
      outcomes.push('MIGRATED');
      reasons.push('');
      counts.migrated += 1;
    }

    await em.execute(
      ...named(WRITE_SQL, {
        id: state.id,
        now,
        actor: state.actor,
        reason: state.reason,
        subscriptionIds,
        versionIds,
        periodStarts,
        periodEnds,
        scheduledVersionIds,
        scheduledAts,
        target: state.target.id,
        targetPlan: state.target.planKey,
        targetVersion: state.target.version,
        effective: state.effective,
        settledIds: ids,
        outcomes,
        reasons,
        ...counts,
      }),
    );
    return movedAccountIds;
  }

  /** The migration's state, or null unless it is RUNNING. */
  private async load(id: string): Promise<RunState | null> {
    const [row] = await this.orm.em.fork().execute<{
      plan_key: string;
      from_versions: number[] | null;
      source_version_ids: string[];
      account_ids: string[] | null;
      effective: PlanChangeTiming;
      actor: string;
      reason: string;
      target_id: string;
      target_plan_key: string;
      target_version: number;
      target_interval: BillingInterval;
    }[]>(
      ...named(
        `select m.plan_key, m.from_versions, m.source_version_ids, m.account_ids, m.effective, m.actor, m.reason,
           pv.id as target_id, p.key as target_plan_key, pv.version as target_version, pv.interval as target_interval
         from plan_migration m join plan_version pv on pv.id = m.to_plan_version_id join plan p on p.id = pv.plan_id
         where m.id = :id and m.status = 'RUNNING'`,
        { id },
      ),
    );
    if (!row) return null;
    return {
      id,
      planKey: row.plan_key,
      fromVersions: row.from_versions,
      sourceVersionIds: row.source_version_ids,
      target: { id: row.target_id, planKey: row.target_plan_key, version: row.target_version, interval: row.target_interval },
      accountIds: row.account_ids,
      effective: row.effective,
      actor: row.actor,
      reason: row.reason,
    };
  }

  /**
   * Marks the migration COMPLETED when no account is PENDING; false while some are (another runner
   * or a request holds them). `settleGone` first fails the accounts that no longer exist: when a
   * claim found nothing, they are the only PENDING rows nobody can claim.
   */
  private async complete(id: string, settleGone: boolean): Promise<boolean> {
    if (settleGone) await this.orm.em.fork().execute(...named(SETTLE_GONE_SQL, { id, now: this.clock() }));
    const rows = await this.orm.em.fork().execute(
      ...named(
        `update plan_migration set status = 'COMPLETED', finished_at = :now
         where id = :id and status = 'RUNNING'
           and not exists (select 1 from plan_migration_account where migration_id = :id and outcome = 'PENDING')
         returning id`,
        { id, now: this.clock() },
      ),
    );
    return rows.length > 0;
  }

  private async isRunning(id: string): Promise<boolean> {
    const rows = await this.orm.em.fork().execute(...named(`select 1 from plan_migration where id = :id and status = 'RUNNING'`, { id }));
    return rows.length > 0;
  }

  /** FAILED with the error's message; the accounts left stay PENDING for a resume (startPlanMigration again). */
  private async fail(id: string, error: Error): Promise<void> {
    await this.orm.em.fork().execute(
      ...named(`update plan_migration set status = 'FAILED', error = :message, finished_at = :now where id = :id and status = 'RUNNING'`, {
        id,
        message: error.message.slice(0, 2000),
        now: this.clock(),
      }),
    );
  }

  /** Waits `ms`, or less when the runner stops. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pauses.add(wake);
    });
  }
}

