import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { unknownFeature } from '../catalog/index.js';
import type { Clock } from '../clock.js';
import { named, retryOnConnectionFault } from '../db/index.js';
import type { CatalogSnapshot, EntitlementsService } from '../entitlements/index.js';
import { badUserInput, fromBigint, validateInput } from '../validation/index.js';
import type { DecisionReason, ShadowDisagreement } from '../vocabulary/index.js';
import { BatchRecorder, type RecorderLimits } from './batch-recorder.js';
import { shadowVerdict } from './shadow-verdict.js';
import {
  compareEntitlementSchema,
  MAX_COMPARISONS_PER_CALL,
  shadowReportSchema,
  type CompareEntitlementValues,
  type ShadowReportValues,
} from './shadow.validation.js';

/** One comparison: Tollgate's decision beside the legacy answer, as recorded and as answered. */
export interface ComparisonRecord {
  id: string;
  accountId: string;
  featureKey: string;
  requested: number | null;
  legacyAllowed: boolean;
  legacyLimit: number | null;
  allowed: boolean;
  reason: DecisionReason;
  limit: number | null;
  used: number;
  remaining: number | null;
  agreed: boolean;
  disagreement: ShadowDisagreement | null;
  comparedAt: Date;
}

/** One comparison of a compareEntitlements batch: recorded, or failed alone with its error's code. */
export type BatchComparison =
  | { status: 'COMPARED'; comparison: ComparisonRecord }
  | { status: 'FAILED'; code: string; message: string };

/** Counts over a set of comparisons. */
export interface ShadowCounts {
  compared: number;
  agreed: number;
  disagreed: number;
  accessDisagreements: number;
  limitDisagreements: number;
}

/** The report of one feature: its counts and its newest disagreements. */
export interface FeatureShadowReport extends ShadowCounts {
  featureKey: string;
  samples: ComparisonRecord[];
}

/** The whole report: totals, then one entry per feature compared, by key. */
export interface ShadowReportView extends ShadowCounts {
  byFeature: FeatureShadowReport[];
}

/** The newest disagreements a report lists per feature. */
export const SAMPLES_PER_FEATURE = 10;

const COLUMNS = [
  'id', 'account_id', 'feature_key', 'requested', 'legacy_allowed', 'legacy_limit', 'allowed', 'reason',
  'limit', 'used', 'remaining', 'agreed', 'disagreement', 'compared_at',
] as const;

/**
 * Shadow mode: the host keeps deciding with its own hard-coded check and asks Tollgate the same
 * question beside it, so the two can be compared on real traffic before the cut-over. A
 * comparison evaluates exactly as the `entitlement` query does (the same cached read path),
 * changes nothing else (no usage counted, no audit entry: it is not a write anyone made), and
 * records its row through a {@link BatchRecorder}: the answer never waits for the database.
 */
export class ShadowService {
  private readonly recorder: BatchRecorder<ComparisonRecord>;
  private flushErrorListener: (error: unknown, waiting: number) => void = () => {};

  constructor(
    private readonly orm: MikroORM,
    private readonly entitlements: EntitlementsService,
    private readonly catalog: () => Promise<CatalogSnapshot>,
    private readonly clock: Clock,
    limits: Partial<RecorderLimits> = {},
  ) {
    this.recorder = new BatchRecorder((rows) => this.insert(rows), limits, (error, waiting) => this.flushErrorListener(error, waiting));
  }

  /** Hears about background writes that failed (they are retried); server.ts logs them. */
  onFlushError(listener: (error: unknown, waiting: number) => void): void {
    this.flushErrorListener = listener;
  }

  /** Decides as usual, compares with the legacy answer, and queues the comparison to be recorded. */
  async compare(input: CompareEntitlementValues): Promise<ComparisonRecord> {
    const values = validateInput(compareEntitlementSchema, input);
    const { feature, decision } = await this.entitlements.check(values.accountId, values.feature, values.amount);
    const legacy = { allowed: values.legacyAllowed, limit: values.legacyLimit ?? null };
    const record: ComparisonRecord = {
      id: randomUUID(),
      accountId: values.accountId,
      featureKey: feature.key,
      requested: values.amount ?? null,
      legacyAllowed: legacy.allowed,
      legacyLimit: legacy.limit,
      allowed: decision.allowed,
      reason: decision.reason,
      limit: decision.limit,
      used: decision.used,
      remaining: decision.remaining,
      ...shadowVerdict(decision, legacy),
      comparedAt: this.clock(),
    };
    await this.recorder.record(record);
    return record;
  }

  /**
   * A batch of comparisons (what the SDK sends), each on its own: a bad one fails alone with
   * its error's code and the others are recorded. Results in order.
   */
  async compareMany(inputs: CompareEntitlementValues[]): Promise<BatchComparison[]> {
    if (inputs.length > MAX_COMPARISONS_PER_CALL) {
      throw badUserInput([{ path: 'inputs', message: `at most ${MAX_COMPARISONS_PER_CALL} comparisons per call; split the batch` }]);
    }
    return Promise.all(
      inputs.map(async (input, index): Promise<BatchComparison> => {
        try {
          return { status: 'COMPARED', comparison: await this.compare(input) };
        } catch (error) {
          // Errors without a code are internal (a lost database among them): the whole call fails.
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          if (typeof code !== 'string') throw error;
          return { status: 'FAILED', code, message: `inputs.${index}: ${(error as Error).message}` };
        }
      }),
    );
  }

  /**
   * Agreement since `since` (all time when absent), in total and per feature, with each
   * feature's newest disagreements. Comparisons this process has queued are written first, so
   * the report counts every comparison answered before it; other processes' queues are at most
   * one flush interval (100 ms) behind.
   */
  async report(filters: ShadowReportValues): Promise<ShadowReportView> {
    const values = validateInput(shadowReportSchema, filters);
    if (values.feature && !(await this.catalog()).features.has(values.feature)) throw unknownFeature(values.feature);
    await this.recorder.flush();
    const where = ['compared_at >= :since', ...(values.feature ? ['feature_key = :feature'] : [])].join(' and ');
    const params = { since: values.since ?? new Date(0), feature: values.feature ?? null, samples: SAMPLES_PER_FEATURE };
    // One statement: the counts per feature, and beside each its newest disagreements (the
    // lateral subquery walks the (feature_key, compared_at) index backwards and stops at the limit).
    const rows = await retryOnConnectionFault(() =>
      this.orm.em.fork().execute<ReportRow[]>(...named(
        `with counts as (
           select feature_key, count(*) as compared, count(*) filter (where agreed) as agreed,
                  count(*) filter (where disagreement = 'ACCESS') as access, count(*) filter (where disagreement = 'LIMIT') as limit_count
           from shadow_comparison where ${where} group by feature_key
         )
         select c.feature_key as counted_feature, c.compared, c.agreed as agreed_count, c.access, c.limit_count, s.*
         from counts c left join lateral (
           select * from shadow_comparison s
           where s.feature_key = c.feature_key and not s.agreed and s.compared_at >= :since
           order by s.compared_at desc, s.id desc limit :samples
         ) s on true
         order by c.feature_key, s.compared_at desc, s.id desc`,
        params,
      )),
    );
    const byFeature = new Map<string, FeatureShadowReport>();
    for (const row of rows) {
      let feature = byFeature.get(row.counted_feature);
      if (!feature) {
        const compared = fromBigint(row.compared);
        const agreed = fromBigint(row.agreed_count);
        feature = {
          featureKey: row.counted_feature, compared, agreed, disagreed: compared - agreed,
          accessDisagreements: fromBigint(row.access), limitDisagreements: fromBigint(row.limit_count), samples: [],
        };
        byFeature.set(row.counted_feature, feature);
      }
      if (row.id) feature.samples.push(sampleOf(row));
    }
    const features = [...byFeature.values()];
    const total = (key: keyof ShadowCounts) => features.reduce((sum, feature) => sum + feature[key], 0);
    return {
      compared: total('compared'), agreed: total('agreed'), disagreed: total('disagreed'),
      accessDisagreements: total('accessDisagreements'), limitDisagreements: total('limitDisagreements'), byFeature: features,
    };
  }

  /** Comparisons answered but not yet written. */
  get waiting(): number {
    return this.recorder.waiting;
  }

  /** Writes every queued comparison now: for tests, and before a report. */
  flush(): Promise<void> {
    return this.recorder.flush();
  }

  /** Writes what is queued and refuses further comparisons: shutdown, after the transports closed. */
  close(): Promise<void> {
    return this.recorder.close();
  }

  /**
   * One multi-row insert per batch. Safe to repeat: a batch retried after a lost connection
   * (whose first try may have committed) skips the rows it already wrote, by their ids.
   */
  private async insert(rows: ComparisonRecord[]): Promise<void> {
    const placeholders = rows.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
    const params = rows.flatMap((row) => [
      row.id, row.accountId, row.featureKey, row.requested, row.legacyAllowed, row.legacyLimit, row.allowed, row.reason,
      row.limit, row.used, row.remaining, row.agreed, row.disagreement, row.comparedAt,
    ]);
    await retryOnConnectionFault(() =>
      this.orm.em.fork().execute(
        `insert into shadow_comparison (${COLUMNS.map((column) => `"${column}"`).join(', ')}) values ${placeholders} on conflict (id) do nothing`,
        params,
      ),
    );
  }
}

/** A row of the report's statement: a feature's counts, and one of its samples (or nulls). */
interface ReportRow {
  counted_feature: string;
  compared: string;
  agreed_count: string;
  access: string;
  limit_count: string;
  id: string | null;
  account_id: string;
  feature_key: string;
  requested: string | null;
  legacy_allowed: boolean;
  legacy_limit: string | null;
  allowed: boolean;
  reason: DecisionReason;
  limit: string | null;
  used: string;
  remaining: string | null;
  agreed: boolean;
  disagreement: ShadowDisagreement | null;
  compared_at: Date;
}

function sampleOf(row: ReportRow): ComparisonRecord {
  return {
    id: row.id!,
    accountId: row.account_id,
    featureKey: row.feature_key,
    requested: fromBigint(row.requested),
    legacyAllowed: row.legacy_allowed,
    legacyLimit: fromBigint(row.legacy_limit),
    allowed: row.allowed,
    reason: row.reason,
    limit: fromBigint(row.limit),
    used: fromBigint(row.used),
    remaining: fromBigint(row.remaining),
    agreed: row.agreed,
    disagreement: row.disagreement,
    comparedAt: new Date(row.compared_at),
  };
}
