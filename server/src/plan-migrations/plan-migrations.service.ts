import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { actorName, auditActor, type Principal } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { loadCatalogSnapshot } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import { named, type ChangeFeed } from '../db/index.js';
import type { BilledPlanChanges } from '../accounts/index.js';
import type { AccountState, CatalogSnapshot, OverrideEffect } from '../entitlements/index.js';
import { badUserInput, fromBigint, validateInput } from '../validation/index.js';
import type { PlanMigrationOutcome, PlanMigrationReason } from '../vocabulary/index.js';
import { pendingDiff, type CounterKey, type MigrationDiff, type PendingDiff } from './migration-diff.js';
import { BATCH_COSTS_SQL, PlanMigrationRunner } from './migration-runner.js';
import { MonthlyChange, type Money } from './monthly-price.js';
import { PlanMigration } from './plan-migration.entity.js';
import { emptyMigrationSelection } from './plan-migrations.errors.js';
import {
  planMigrationInputSchema,
  startPlanMigrationSchema,
  type PlanMigrationInputValues,
  type StartPlanMigrationValues,
} from './plan-migrations.validation.js';
import { inputKeyOf, resolveSelection } from './resolve-selection.js';
import { subscriptionState, timestamp, type SubscriptionColumns } from './sql-values.js';
import { decodeAccountCursor, PAYING_SQL, SELECTED_SQL, selectionValues, VERDICT_SQL, type Selection } from './selection.js';

/** The most rows one page of a migration's lists may hold. */
export const MAX_PAGE = 1000;

/** What a preview answers at once; its lists page through {@link PlanMigrationsService.changes} and {@link PlanMigrationsService.skippedAccounts}. */
export interface PlanMigrationPreview {
  selection: Selection;
  /** The catalog and instant the whole preview is computed at, so its pages agree with its totals. */
  catalog: CatalogSnapshot;
  now: Date;
  /** Accounts the filters select. */
  selected: number;
  /** Of those, the accounts that would move. */
  accounts: number;
  skipped: number;
  skippedByReason: { reason: PlanMigrationReason; accounts: number }[];
  monthlyRevenueChange: Money[];
}

/** One page of a list, in account id order. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

/** One selected account in a migration's lists: where it was, and what the migration did (or would do) with it. */
export interface MigrationAccount {
  accountId: string;
  fromVersion: number;
  outcome: PlanMigrationOutcome;
  reason: PlanMigrationReason | null;
}

/** A subscription row as a preview page reads it. */
type PreviewRow = SubscriptionColumns;

/**
 * Plan migrations: moving a cohort of accounts from old plan versions to a new one, previewed
 * first (what each account gains, loses and pays, with the pure evaluator, writing nothing), then
 * run in resumable batches ({@link PlanMigrationRunner}). SQL is set-based throughout: a preview of
 * 100,000 accounts is one aggregate query, and each page one query per table.
 */
export class PlanMigrationsService {
  private readonly runner: PlanMigrationRunner;

  constructor(
    private readonly orm: MikroORM,
    feed: ChangeFeed,
    private readonly clock: Clock,
    /** How a Stripe-billed account's plan is changed in Stripe; null: such accounts are skipped (BILLING_MANAGED). */
    private readonly billedPlans: BilledPlanChanges | null = null,
  ) {
    this.runner = new PlanMigrationRunner(orm, feed, clock, billedPlans);
  }

  /** The selection as the input resolves it, knowing whether Stripe-billed accounts can be changed in Stripe. */
  private async select(em: EntityManager, input: Parameters<typeof resolveSelection>[1]): Promise<Selection> {
    return { ...(await resolveSelection(em, input)), billingWritable: this.billedPlans?.writable ?? false };
  }

  /**
   * How many accounts the migration would move, the monthly revenue change, and why the others
   * would not move. Writes nothing. EMPTY_MIGRATION_SELECTION when the filters select nobody.
   */
  async preview(input: PlanMigrationInputValues): Promise<PlanMigrationPreview> {
    const values = validateInput(planMigrationInputSchema, input);
    const em = this.orm.em.fork();
    const now = this.clock();
    const selection = await this.select(em, values);
    const catalog = await loadCatalogSnapshot(em);
    const rows = await em.execute<{ version_id: string; verdict: 'MOVE' | PlanMigrationReason; accounts: number; paying: number }[]>(
      ...named(
        `select s.plan_version_id as version_id, ${VERDICT_SQL} as verdict, count(*)::int as accounts, (count(*) filter (where ${PAYING_SQL}))::int as paying
         from subscription s where ${SELECTED_SQL} group by 1, 2`,
        selectionValues(selection, now),
      ),
    );
    const selected = rows.reduce((sum, row) => sum + row.accounts, 0);
    if (!selected) throw emptyMigrationSelection(selection.planKey, selection.fromVersions, selection.accountIds);
    const target = catalog.planVersions.get(selection.target.id)!;
    const revenue = new MonthlyChange();
    const skippedByReason = new Map<PlanMigrationReason, number>();
    let accounts = 0;
    for (const row of rows) {
      if (row.verdict === 'MOVE') {
        accounts += row.accounts;
        const from = catalog.planVersions.get(row.version_id);
        if (from && row.paying) revenue.add(from, target, row.paying);
      } else {
        skippedByReason.set(row.verdict, (skippedByReason.get(row.verdict) ?? 0) + row.accounts);
      }
    }
    return {
      selection,
      catalog,
      now,
      selected,
      accounts,
      skipped: selected - accounts,
      skippedByReason: [...skippedByReason].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, count]) => ({ reason, accounts: count })),
      monthlyRevenueChange: revenue.totals(),
    };
  }

  /**
   * One page of the accounts that would move, each with what it would see change: the pure
   * evaluator on its state before and after (overrides, add-ons and usage counters included), so
   * the diff is what the account's entitlements will say. Three queries per page, in one read-only
   * transaction planned for key lookups (BATCH_COSTS_SQL).
   */
  async changes(preview: PlanMigrationPreview, first: number | null | undefined, after: string | null | undefined): Promise<Page<MigrationDiff>> {
    const { limit, afterId } = pageArguments(first, after);
    return this.orm.em.fork().transactional(async (em) => {
      await em.execute(BATCH_COSTS_SQL);
      return this.changesPage(em, preview, limit, afterId);
    });
  }

  private async changesPage(em: EntityManager, preview: PlanMigrationPreview, limit: number, afterId: string): Promise<Page<MigrationDiff>> {
    const { selection, catalog, now } = preview;
    const rows = await em.execute<PreviewRow[]>(
      ...named(
        `select s.account_id, s.plan_version_id, s.status, s.trial_ends_at, s.grace_ends_at, s.current_period_start, s.current_period_end,
           s.add_ons, s.cancel_at_period_end, s.scheduled_plan_version_id, s.scheduled_change_at
         from subscription s
         where ${SELECTED_SQL} and ${VERDICT_SQL} = 'MOVE' and s.account_id > :after
         order by s.account_id limit :limit`,
        { ...selectionValues(selection, now), after: afterId, limit: limit + 1 },
      ),
    );
    const page = rows.slice(0, limit);
    const states = await this.accountStates(em, page);
    const target = catalog.planVersions.get(selection.target.id)!;
    const pending = states.map((state) => pendingDiff(catalog, state, target, selection.effective, now));
    const used = await this.usageCounters(em, pending);
    return {
      items: pending.map((diff) => diff.finish((counter) => used.get(counterKey(diff.accountId, counter)) ?? 0)),
      hasNextPage: rows.length > limit,
    };
  }

  /** One page of the selected accounts that would not move, with the reason (PINNED, ALREADY_ON_TARGET, …). */
  async skippedAccounts(preview: PlanMigrationPreview, first: number | null | undefined, after: string | null | undefined): Promise<Page<MigrationAccount>> {
    const { limit, afterId } = pageArguments(first, after);
    const rows = await this.orm.em.fork().execute<{ account_id: string; version: number; verdict: PlanMigrationReason }[]>(
      ...named(
        `select * from (
           select s.account_id, pv.version, ${VERDICT_SQL} as verdict
           from subscription s join plan_version pv on pv.id = s.plan_version_id
           where ${SELECTED_SQL} and s.account_id > :after
         ) selected
         where verdict <> 'MOVE' order by account_id limit :limit`,
        { ...selectionValues(preview.selection, preview.now), after: afterId, limit: limit + 1 },
      ),
    );
    return {
      items: rows.slice(0, limit).map((row) => ({ accountId: row.account_id, fromVersion: row.version, outcome: 'SKIPPED', reason: row.verdict })),
      hasNextPage: rows.length > limit,
    };
  }

  /**
   * Starts a migration: freezes the selection (every selected account, PENDING) and records who
   * and why, in one transaction, then runs it in batches. It answers after the first batch, so a
   * migration of up to one batch is COMPLETED in its answer; a bigger one continues in the
   * background (`planMigration(id)` shows its progress). The same input while a migration of it
   * is RUNNING or FAILED resumes that one instead of selecting anew.
   */
  async start(actor: Principal, input: StartPlanMigrationValues): Promise<PlanMigration> {
    const values = validateInput(startPlanMigrationSchema, input);
    const now = this.clock();
    const id = await this.orm.em.fork().transactional(async (em) => {
      const selection = await this.select(em, values.input);
      const inputKey = inputKeyOf(selection);
      const open = await this.openMigration(em, inputKey);
      if (open) return open;
      const id = randomUUID();
      // The partial unique index allows one open migration per input: of two concurrent starts, the second inserts nothing.
      const inserted = await em.execute(
        ...named(
          `insert into plan_migration (id, status, input_key, plan_key, from_versions, source_version_ids, to_plan_version_id, account_ids,
             effective, proration_behavior, reason, actor, total, migrated, skipped, failed, started_at)
           values (:id, 'RUNNING', :inputKey, :planKey, :fromVersions::jsonb, :sources::jsonb, :target, :accountIds::jsonb,
             :effective, :proration, :reason, :actor, 0, 0, 0, 0, :now)
           on conflict (input_key) where status <> 'COMPLETED' do nothing
           returning id`,
          {
            id,
            inputKey,
            planKey: selection.planKey,
            fromVersions: selection.fromVersions ? JSON.stringify(selection.fromVersions) : null,
            sources: JSON.stringify(selection.sourceVersionIds),
            target: selection.target.id,
            accountIds: selection.accountIds ? JSON.stringify(selection.accountIds) : null,
            effective: selection.effective,
            proration: selection.prorationBehavior ?? 'CREATE_PRORATIONS',
            reason: values.reason,
            actor: actorName(actor),
            now,
          },
        ),
      );
      if (!inserted.length) return (await this.openMigration(em, inputKey))!;
      const [{ total }] = await em.execute<[{ total: number }]>(
        ...named(
          `with frozen as (
             insert into plan_migration_account (migration_id, account_id, from_plan_version_id, outcome)
             select :id, s.account_id, s.plan_version_id, 'PENDING' from subscription s where ${SELECTED_SQL}
             returning 1
           )
           select count(*)::int as total from frozen`,
          { ...selectionValues(selection, now), id },
        ),
      );
      if (!total) throw emptyMigrationSelection(selection.planKey, selection.fromVersions, selection.accountIds);
      await em.execute(...named('update plan_migration set total = :total where id = :id', { total, id }));
      recordAudit(em, {
        actor: auditActor(actor), action: 'plan_migration.start', entityType: 'PlanMigration', entityId: id, reason: values.reason,
        after: {
          plan: selection.planKey, fromVersions: selection.fromVersions, toPlan: selection.target.planKey, toVersion: selection.target.version,
          accountIds: selection.accountIds, effective: selection.effective, total,
        },
      }, now);
      return id;
    });
    // The frozen selection may have grown the table by 100,000 rows: fresh statistics keep the batches on its indexes.
    await this.orm.em.fork().execute('analyze plan_migration_account');
    await this.runner.launch(id).firstBatch;
    return (await this.get(id))!;
  }

  /** A migration by id, or null. */
  async get(id: string): Promise<PlanMigration | null> {
    if (!UUID.test(id)) return null;
    return this.orm.em.fork().findOne(PlanMigration, { id }, { populate: ['toPlanVersion', 'toPlanVersion.plan'] });
  }

  /** The newest migrations first (at most `first`, 1-100, default 20): the console's list of past runs. */
  async list(first: number | null | undefined): Promise<PlanMigration[]> {
    const limit = Math.min(Math.max(first ?? 20, 1), 100);
    return this.orm.em.fork().find(PlanMigration, {}, { populate: ['toPlanVersion', 'toPlanVersion.plan'], orderBy: { startedAt: 'desc', id: 'asc' }, limit });
  }

  /** One page of a migration's accounts and what it did with each, optionally of one outcome. */
  async accounts(
    migrationId: string,
    outcome: PlanMigrationOutcome | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<MigrationAccount>> {
    const { limit, afterId } = pageArguments(first, after);
    const rows = await this.orm.em.fork().execute<{ account_id: string; version: number; outcome: PlanMigrationOutcome; reason: PlanMigrationReason | null }[]>(
      ...named(
        `select a.account_id, pv.version, a.outcome, a.reason
         from plan_migration_account a join plan_version pv on pv.id = a.from_plan_version_id
         where a.migration_id = :id and (:everyOutcome or a.outcome = :outcome) and a.account_id > :after
         order by a.account_id limit :limit`,
        { id: migrationId, everyOutcome: !outcome, outcome: outcome ?? 'PENDING', after: afterId, limit: limit + 1 },
      ),
    );
    return {
      items: rows.slice(0, limit).map((row) => ({ accountId: row.account_id, fromVersion: row.version, outcome: row.outcome, reason: row.reason })),
      hasNextPage: rows.length > limit,
    };
  }

  /**
   * Resumes the migrations a crash or a stop left RUNNING, in the background; server start calls
   * it once. `onError` hears of errors in background runs (which also mark the migration FAILED).
   */
  resumeRunning(onError: (error: Error, migrationId: string) => void): Promise<void> {
    return this.runner.resumeRunning(onError);
  }

  /** The migrations RUNNING now, in any process, with their counts so far (at most 100, oldest first): for the metrics. */
  async running(): Promise<{ id: string; plan: string; total: number; migrated: number; skipped: number; failed: number }[]> {
    const rows = await this.orm.em.fork().execute<{ id: string; plan_key: string; total: number; migrated: number; skipped: number; failed: number }[]>(
      `select id, plan_key, total, migrated, skipped, failed from plan_migration where status = 'RUNNING' order by started_at limit 100`,
    );
    return rows.map((row) => ({ id: row.id, plan: row.plan_key, total: row.total, migrated: row.migrated, skipped: row.skipped, failed: row.failed }));
  }

  /** Lets the batches in flight commit and starts no more; server close calls it before the database closes. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** The open (RUNNING or FAILED) migration of this input, resumed if it had FAILED; null when there is none. */
  private async openMigration(em: EntityManager, inputKey: string): Promise<string | null> {
    const [open] = await em.execute<{ id: string; status: string }[]>(
      ...named(`select id, status from plan_migration where input_key = :inputKey and status <> 'COMPLETED' for update`, { inputKey }),
    );
    if (!open) return null;
    if (open.status === 'FAILED') {
      await em.execute(...named(`update plan_migration set status = 'RUNNING', error = null, finished_at = null where id = :id`, { id: open.id }));
    }
    return open.id;
  }

  /** The evaluator's view of a page of accounts: their subscriptions and every override they have. */
  private async accountStates(em: EntityManager, rows: PreviewRow[]): Promise<AccountState[]> {
    const overrides = await em.execute<{
      id: string; account_id: string; feature_key: string; effect: OverrideEffect; value: string | null;
      starts_at: string; ends_at: string | null; created_at: string; revoked_at: string | null;
    }[]>(
      ...named(
        `select id, account_id, feature_key, effect, value, starts_at, ends_at, created_at, revoked_at
         from override where account_id = any(array[:ids]::text[])`,
        { ids: rows.map((row) => row.account_id) },
      ),
    );
    const byAccount = new Map<string, AccountState['overrides']>();
    for (const override of overrides) {
      const list = byAccount.get(override.account_id) ?? [];
      list.push({
        id: override.id,
        featureKey: override.feature_key,
        effect: override.effect,
        value: override.value === null ? null : fromBigint(override.value),
        startsAt: timestamp(override.starts_at),
        endsAt: timestamp(override.ends_at),
        createdAt: timestamp(override.created_at),
        revokedAt: timestamp(override.revoked_at),
      });
      byAccount.set(override.account_id, list);
    }
    return rows.map((row) => ({
      accountId: row.account_id,
      subscription: subscriptionState(row),
      overrides: byAccount.get(row.account_id) ?? [],
    }));
  }

  /** The usage counters a page of diffs needs, in one query; missing counters are 0. */
  private async usageCounters(em: EntityManager, pending: PendingDiff[]): Promise<Map<string, number>> {
    const needed = new Set<string>();
    const accounts: string[] = [];
    const features = new Set<string>();
    const starts = new Set<number>();
    for (const diff of pending) {
      if (diff.counters.length) accounts.push(diff.accountId);
      for (const counter of diff.counters) {
        needed.add(counterKey(diff.accountId, counter));
        features.add(counter.featureKey);
        starts.add(counter.periodStart.getTime());
      }
    }
    if (!needed.size) return new Map();
    // Three = any() conditions walk the primary key (account, feature, period start) for the page's
    // accounts only; the few extra combinations they admit are dropped below.
    const rows = await em.execute<{ account_id: string; feature_key: string; period_ms: number; used: string }[]>(
      ...named(
        // The period start as epoch milliseconds (float8 arrives as a number): a page reads thousands of counters.
        `select account_id, feature_key, (extract(epoch from period_start) * 1000)::float8 as period_ms, used from usage_counter
         where account_id = any(array[:accounts]::text[]) and feature_key = any(array[:features]::text[])
           and period_start = any(array[:starts]::timestamptz[])`,
        { accounts, features: [...features], starts: [...starts].map((ms) => new Date(ms).toISOString()) },
      ),
    );
    const counters = new Map<string, number>();
    for (const row of rows) {
      const key = counterKeyOf(row.account_id, row.feature_key, row.period_ms);
      if (needed.has(key)) counters.set(key, fromBigint(row.used));
    }
    return counters;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function counterKey(accountId: string, counter: CounterKey): string {
  return counterKeyOf(accountId, counter.featureKey, counter.periodStart.getTime());
}

function counterKeyOf(accountId: string, featureKey: string, periodStartMs: number): string {
  return `${accountId}\u0000${featureKey}\u0000${periodStartMs}`;
}

/** `first` (1 to {@link MAX_PAGE}, default 50) and the account id after which the page starts. */
function pageArguments(first: number | null | undefined, after: string | null | undefined): { limit: number; afterId: string } {
  const limit = first ?? 50;
  const problems = [];
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) problems.push({ path: 'first', message: `must be from 1 to ${MAX_PAGE}` });
  const afterId = after ? decodeAccountCursor(after) : '';
  if (afterId === null) problems.push({ path: 'after', message: 'is not a cursor from this list; pass pageInfo.endCursor' });
  if (problems.length) throw badUserInput(problems);
  return { limit, afterId: afterId! };
}
