/**
 * `npm run reconcile [-- --apply]`: asks a running Tollgate to compare every Stripe subscription
 * with its own (`reconcileBilling`), prints the mismatches as a table, and with `--apply` fixes
 * what can be fixed. Through the API, not the database, so it works against any database
 * (the embedded one is owned by the server process) and every fix is audited as usual.
 *
 * Exit status: 0 when nothing is left to fix, 1 when mismatches remain (for a cron job to alert
 * on), 2 when the run failed.
 */
const url = process.env.TOLLGATE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}/graphql`;
const adminKey = process.env.TOLLGATE_ADMIN_KEY;
const apply = process.argv.includes('--apply');

interface Mismatch {
  kind: string;
  accountId: string | null;
  providerSubscriptionId: string | null;
  message: string;
  fixable: boolean;
  fixed: boolean;
}

if (!adminKey) {
  console.error('Set TOLLGATE_ADMIN_KEY to an admin key of the Tollgate at TOLLGATE_URL (default http://127.0.0.1:4000/graphql).');
  process.exit(2);
}

try {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({
      query: `mutation ($apply: Boolean!) { reconcileBilling(apply: $apply) {
        id checkedAt applied providerSubscriptions tollgateSubscriptions fixed
        mismatches { kind accountId providerSubscriptionId message fixable fixed } refusals { kind message } } }`,
      variables: { apply },
    }),
  });
  const body = (await response.json()) as {
    data?: { reconcileBilling: { id: string; providerSubscriptions: number; tollgateSubscriptions: number; fixed: number; mismatches: Mismatch[]; refusals: { kind: string; message: string }[] } };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length || !body.data) {
    for (const error of body.errors ?? []) console.error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
    process.exit(2);
  }
  const report = body.data.reconcileBilling;
  console.log(`Reconciliation ${report.id}: ${report.providerSubscriptions} Stripe subscriptions, ${report.tollgateSubscriptions} mirrored in Tollgate, ${report.mismatches.length} mismatches${apply ? `, ${report.fixed} fixed` : ''}.`);
  if (report.mismatches.length) {
    console.table(report.mismatches.map((mismatch) => ({
      kind: mismatch.kind,
      account: mismatch.accountId ?? '(none)',
      stripe: mismatch.providerSubscriptionId ?? '',
      state: mismatch.fixed ? 'fixed' : mismatch.fixable ? (apply ? 'not fixed' : 'fixable with --apply') : 'needs an admin',
    })));
    for (const mismatch of report.mismatches.filter((mismatch) => !mismatch.fixed)) console.log(`- ${mismatch.message}`);
  }
  // Apply refused as a whole (a live/test mode mismatch, too many cancels): say why.
  for (const refusal of report.refusals) console.log(`Nothing applied (${refusal.kind}): ${refusal.message}`);
  process.exit(report.mismatches.some((mismatch) => !mismatch.fixed) ? 1 : 0);
} catch (error) {
  console.error(`Could not reach Tollgate at ${url}: ${(error as Error).message}`);
  process.exit(2);
}
