import type { GraphQLTestClient } from './graphql-client.js';
import { budget } from './time-budget.js';

/** A preview with its totals and one page of each list. */
export const PREVIEW = `query ($input: PlanMigrationInput!, $first: Int, $after: String) {
  previewPlanMigration(input: $input) {
    plan fromVersions toPlan toVersion effective selected accounts skipped
    skippedByReason { reason accounts }
    monthlyRevenueChange { amount currency formatted }
    changes(first: $first, after: $after) {
      edges { cursor node { accountId fromVersion toVersion effectiveAt featuresGained featuresLost
        limitChanges { feature from to used } wouldBeOverLimit priceChange { amount currency } } }
      pageInfo { hasNextPage endCursor }
    }
    skippedAccounts(first: 1000) { edges { node { accountId fromVersion outcome reason } } }
  }
}`;

/** The fields of a migration tests look at. */
export const MIGRATION_FIELDS = `id status plan fromVersions toPlan toVersion accountIds effective reason actor
  total migrated skipped failed pending error startedAt finishedAt`;

/** startPlanMigration. */
export const START = `mutation ($input: PlanMigrationInput!, $reason: String!) {
  startPlanMigration(input: $input, reason: $reason) { ${MIGRATION_FIELDS} }
}`;

/** planMigration(id), with its first 1000 accounts. */
export const MIGRATION = `query ($id: ID!, $outcome: PlanMigrationOutcome) {
  planMigration(id: $id) { ${MIGRATION_FIELDS}
    accounts(outcome: $outcome, first: 1000) { edges { node { accountId fromVersion outcome reason } } pageInfo { hasNextPage } }
  }
}`;

/** One account's diff as a preview shows it. */
export interface PreviewChange {
  accountId: string;
  fromVersion: number;
  toVersion: number;
  effectiveAt: string;
  featuresGained: string[];
  featuresLost: string[];
  limitChanges: { feature: string; from: number | null; to: number | null; used: number }[];
  wouldBeOverLimit: boolean;
  priceChange: { amount: number; currency: string }[];
}

/** Every diff of a preview, page by page (`first` per page). */
export async function allChanges(admin: GraphQLTestClient, input: Record<string, unknown>, first = 2): Promise<PreviewChange[]> {
  const changes: PreviewChange[] = [];
  let after: string | null = null;
  for (;;) {
    const { previewPlanMigration } = await admin.request(PREVIEW, { input, first, after });
    const page = previewPlanMigration.changes;
    changes.push(...page.edges.map((edge: { node: PreviewChange }) => edge.node));
    if (!page.pageInfo.hasNextPage) return changes;
    after = page.pageInfo.endCursor;
  }
}

/**
 * Reads planMigration(id) until its status is no longer RUNNING, or fails after `timeoutMs`. A
 * migration bigger than one batch finishes in the background; this waits on its recorded state,
 * not on a guess of how long it takes.
 */
export async function migrationFinished(admin: GraphQLTestClient, id: string, timeoutMs = budget(60_000)): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { planMigration } = await admin.request(MIGRATION, { id });
    if (planMigration.status !== 'RUNNING') return planMigration;
    if (Date.now() > deadline) throw new Error(`migration ${id} still RUNNING after ${timeoutMs} ms: ${JSON.stringify(planMigration)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What the API's `entitlements` say an account holds: per feature, held (allowed or at its limit), the limit and the usage. */
export async function holdings(admin: GraphQLTestClient, accountId: string): Promise<Map<string, { held: boolean; limit: number | null; used: number }>> {
  const { entitlements } = await admin.request(
    `query ($id: ID!) { entitlements(accountId: $id) { feature allowed reason limit used } }`,
    { id: accountId },
  );
  return new Map(
    entitlements.map((entitlement: { feature: string; allowed: boolean; reason: string; limit: number | null; used: number }) => [
      entitlement.feature,
      { held: entitlement.allowed || entitlement.reason === 'LIMIT_REACHED', limit: entitlement.limit, used: entitlement.used },
    ]),
  );
}
