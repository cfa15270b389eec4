import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDatabase, snapshotDifferences, type DatabaseSnapshot } from '../support/database-snapshot.js';
import { postGraphQL, type HttpGraphQLAnswer } from '../support/graphql-http.js';
import { countedFeatureKeys, createRunAccounts, featureKeys, seedHostileCatalog } from '../support/hostile-catalog.js';
import { contractSchema, fields, generatedMutations, hostileStep, mutationDocument, type HostileStep } from '../support/hostile-mutations.js';
import { materialize, type StateRef } from '../support/hostile-values.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';

/**
 * Hostile input never breaks the service: a property, checked with fast-check against the real
 * server over HTTP, on PostgreSQL and on the embedded database.
 *
 * For every sequence of up to {@link MAX_STEPS} requests to any mutation of schema.graphql,
 * sent as JSON variables with the admin key or a server key, whose inputs mix valid values (the
 * seeded catalog's keys, the run's own three accounts, overrides and keys it created) with
 * hostile ones (unicode strings with NUL and lone surrogates, strings of boundary lengths,
 * numbers across the whole JSON range, -0, 1e400 and 2^64 in full, dates in year 0 or 9999 or
 * malformed, metadata with hostile keys), and with requests that push counters past 2^31 and
 * towards 2^53 on BLOCK, ALLOW and unlimited features:
 *
 * 1. no answer is HTTP 500 (or no answer at all); 400 for malformed variables is fine;
 * 2. no error is `INTERNAL_SERVER_ERROR` or lacks a code: a refusal always says why;
 * 3. a refused request (errors and a null result, or consume answering `ok: false`) writes
 *    nothing: every table holds exactly the same rows before and after it;
 * 4. reportUsage counts exactly its ACCEPTED events: as many ledger rows as accepted events, and
 *    the counters grow by their amounts (REFUSED, DUPLICATE and FAILED events count nothing);
 * 5. after every request every account of the run stays readable: `account`, `entitlements`, and
 *    `entitlement`, `usage` and `upgradeOffers` of each seeded feature answer without any error.
 *
 * Bounded: FC_RUNS runs per database (default {@link DEFAULT_RUNS}), for at most FC_TIME_LIMIT_MS
 * (default 45 s): about a minute per database with the server's start. Seeded: FC_SEED (random
 * by default, printed at start and with every failure). FC_PATH replays one counterexample
 * (fast-check prints its path; the catalog changes of earlier runs are not replayed with it).
 * FC_SHRINK=1 shrinks a failure to a minimal one instead of stopping at the first. FC_SURVEY=1
 * does not stop at a failure: it lists every kind of violation the runs meet, with the first
 * request that showed each.
 */

const MAX_STEPS = 10;
const DEFAULT_RUNS = 100;
const TIME_LIMIT_MS = Number(process.env.FC_TIME_LIMIT_MS ?? 45_000);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
const shrink = process.env.FC_SHRINK === '1';
const surveyAll = process.env.FC_SURVEY === '1';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** What a run has created so far, for the placeholders of later requests. */
interface RunState {
  accounts: string[];
  overrides: string[];
  apiKeys: string[];
  operators: string[];
  overrideRequests: string[];
}

it('has a request generator for every mutation of schema.graphql', () => {
  expect(generatedMutations.sort()).toEqual(Object.keys(contractSchema.getMutationType()!.getFields()).sort());
});

describe.each(['postgresql', 'embedded'] as const)('hostile input on %s', (database) => {
  let t: TestServer;
  let serverKey: string;
  let runs = 0;

  beforeAll(async () => {
    t = await startTestServer({ database });
    await seedHostileCatalog(t.admin);
    ({ createApiKey: { secret: serverKey } } = await t.admin.request(
      `mutation { createApiKey(input: { name: "hostile backend", role: SERVER }) { secret } }`,
    ));
  });
  afterAll(() => t?.stop());

  it(
    'answers every hostile request without a 500 or an internal error, writes nothing when it refuses, and keeps every account readable',
    async () => {
      const numRuns = Number(process.env.FC_RUNS ?? DEFAULT_RUNS);
      console.info(`hostile input on ${database}: FC_SEED=${seed}, ${numRuns} runs`);
      const survey = new Map<string, string>();
      // fast-check's time limit ends fc.assert while a run may still be sending requests; that
      // run stops at its next step and is awaited, so no request is in flight when the server stops.
      let stopping = false;
      let inFlight: Promise<unknown> = Promise.resolve();
      const property = fc.asyncProperty(fc.array(hostileStep, { minLength: 1, maxLength: MAX_STEPS }), (steps) => {
        const run = (async () => {
          if (stopping) return;
          runs += 1;
          const state: RunState = { accounts: await createRunAccounts(t.admin, `${database}-${runs}`), overrides: [], apiKeys: [], operators: [], overrideRequests: [] };
          for (const [index, step] of steps.entries()) {
            if (stopping) return;
            const violations = [...(await send(step, state)), ...(await unreadableAccounts(state.accounts))];
            if (violations.length && surveyAll) {
              record(survey, step, violations);
            } else if (violations.length) {
              throw new Error(`step ${index + 1} of ${steps.length} (${step.mutation} as ${step.as}):\n  - ${violations.join('\n  - ')}`);
            }
          }
        })();
        inFlight = run.catch(() => {});
        return run;
      });
      const settle = async () => {
        stopping = true;
        await inFlight;
      };
      if (surveyAll) {
        await fc.assert(property, { seed, numRuns, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] }).finally(settle);
        const listed = [...survey].map(([kind, example]) => `- ${kind}\n    first seen at: ${example.slice(0, 600)}`);
        expect(survey.size, `FC_SEED=${seed}: ${survey.size} kinds of violation\n${listed.join('\n')}`).toBe(0);
        return;
      }
      try {
        await fc.assert(property, {
          seed,
          numRuns,
          path: process.env.FC_PATH,
          endOnFailure: !shrink,
          includeErrorInReport: true,
          plugins: shrink ? [] : [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)],
        }).finally(settle);
      } catch (error) {
        throw new Error(
          `Hostile input broke a property on ${database}. Reproduce: FC_SEED=${seed} FC_PATH=<path below> ` +
            `npx vitest run test/integration/hostile-input.property.test.ts -t ${database} (FC_SHRINK=1 to minimise).\n\n` +
            (error as Error).message,
        );
      }
    },
    shrink ? 3_600_000 : TIME_LIMIT_MS + 60_000,
  );

  /** Sends one step and returns what it broke of properties 1 to 4. */
  async function send(step: HostileStep, state: RunState): Promise<string[]> {
    const variables = materialize(step.variables, (ref) => resolve(ref, state)) as Record<string, unknown>;
    const before = await snapshotDatabase(t);
    const answer = await postGraphQL(t.server.graphqlUrl, step.as === 'admin' ? TEST_ADMIN_KEY : serverKey, mutationDocument(step.mutation), variables);
    const after = await snapshotDatabase(t);

    const violations: string[] = [];
    if (answer.status === 0 || answer.status >= 500) violations.push(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
    violations.push(...internalErrors(answer));
    const result = answer.data?.[step.mutation] ?? null;
    const refused = result === null || (step.mutation === 'consume' && result.ok === false);
    if (refused) {
      const written = snapshotDifferences(before, after);
      if (written.length) violations.push(`refused (${outcomeOf(answer)}) yet wrote: ${written.join('; ')}`);
    } else if (step.mutation === 'reportUsage') {
      violations.push(...miscounted(answer, before, after));
    }
    remember(step.mutation, result, state);
    return violations;
  }

  /** Property 5: one request reads everything of every account of the run. */
  async function unreadableAccounts(accountIds: string[]): Promise<string[]> {
    const reads = accountIds.flatMap((_, index) => {
      const id = `$a${index}`;
      return [
        `a${index}: account(id: ${id}) { ${fields.account} }`,
        `a${index}_all: entitlements(accountId: ${id}) { ${fields.entitlement} }`,
        ...featureKeys.flatMap((feature) => [
          `a${index}_${feature}: entitlement(accountId: ${id}, feature: "${feature}") { ${fields.entitlement} }`,
          `a${index}_${feature}_offers: upgradeOffers(accountId: ${id}, feature: "${feature}") { ${fields.offer} }`,
        ]),
        ...countedFeatureKeys.map((feature) => `a${index}_${feature}_usage: usage(accountId: ${id}, feature: "${feature}") { ${fields.usage} }`),
      ];
    });
    const query = `query (${accountIds.map((_, index) => `$a${index}: ID!`).join(', ')}) { ${reads.join('\n')} }`;
    const variables = Object.fromEntries(accountIds.map((id, index) => [`a${index}`, id]));
    const answer = await postGraphQL(t.server.graphqlUrl, TEST_ADMIN_KEY, query, variables);
    const problems = new Set<string>();
    if (answer.status !== 200) problems.add(`reading the accounts answered HTTP ${answer.status}`);
    for (const error of answer.errors) {
      const alias = String(error.path?.[0] ?? '');
      const account = accountIds[Number(/^a(\d+)/.exec(alias)?.[1])] ?? '?';
      problems.add(`account "${account}" unreadable: ${alias.replace(/^a\d+_?/, '') || 'account'} → ${error.extensions?.code ?? 'no code'}: ${error.message}`);
    }
    accountIds.forEach((id, index) => {
      if (answer.data && answer.data[`a${index}`] === null) problems.add(`account "${id}" is gone`);
    });
    return [...problems];
  }
});

/** Survey mode: keeps the first step that showed each kind of violation (values stripped). */
function record(survey: Map<string, string>, step: HostileStep, violations: string[]): void {
  for (const violation of violations) {
    // An unreadable account is a state, not this step's doing: it is listed once, whatever the step.
    const kind = `${violation.includes('unreadable') ? '' : `${step.mutation}: `}${violation}`
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\d+/g, 'N');
    if (!survey.has(kind)) survey.set(kind, fc.stringify(step));
  }
}

/** Property 2: errors without a code, or with the code of a crash. */
function internalErrors(answer: HttpGraphQLAnswer): string[] {
  return answer.errors
    .filter((error) => !error.extensions?.code || error.extensions.code === 'INTERNAL_SERVER_ERROR')
    .map((error) => `${error.extensions?.code ?? 'no code'}: ${error.message}`);
}

/** Property 4: the ledger and the counters moved by the ACCEPTED events of a reportUsage, and only by them. */
function miscounted(answer: HttpGraphQLAnswer, before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  // GraphQL coerces a single object into a list of one.
  const sent = answer.sentVariables.events;
  const events = (Array.isArray(sent) ? sent : [sent]) as { amount: unknown }[];
  const report = answer.data!.reportUsage as { results: { index: number; status: string }[]; accepted: number; refused: number; duplicates: number; failed: number };
  const problems: string[] = [];
  if (report.results.length !== events.length) problems.push(`${events.length} events, ${report.results.length} results`);
  const accepted = report.results.filter((result) => result.status === 'ACCEPTED');
  const tally = { ACCEPTED: report.accepted, REFUSED: report.refused, DUPLICATE: report.duplicates, FAILED: report.failed };
  for (const [status, count] of Object.entries(tally)) {
    const listed = report.results.filter((result) => result.status === status).length;
    if (listed !== count) problems.push(`${count} ${status} counted, ${listed} listed`);
  }
  let acceptedAmount = 0n;
  for (const result of accepted) {
    const amount = events[result.index]?.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount)) problems.push(`event ${result.index} ACCEPTED with amount ${String(amount)}`);
    else acceptedAmount += BigInt(amount);
  }
  const rowsAdded = BigInt(after.get('usage_event')!.rows) - BigInt(before.get('usage_event')!.rows);
  const counted = BigInt(after.get('usage_counter.used')!.rows) - BigInt(before.get('usage_counter.used')!.rows);
  if (rowsAdded !== BigInt(accepted.length)) problems.push(`${accepted.length} events ACCEPTED, ${rowsAdded} ledger rows written`);
  if (counted !== acceptedAmount) problems.push(`ACCEPTED events amount to ${acceptedAmount}, counters grew by ${counted}`);
  return problems.map((problem) => `reportUsage miscounted: ${problem}`);
}

/** Keeps what a successful request created, for later requests to name. */
function remember(mutation: string, result: any, state: RunState): void {
  if (!result) return;
  if (mutation === 'grantOverride') state.overrides.push(result.id);
  if (mutation === 'createApiKey') state.apiKeys.push(result.apiKey.id);
  if (mutation === 'inviteOperator') state.operators.push(result.operator.id);
  if (mutation === 'requestOverride') state.overrideRequests.push(result.id);
  if (mutation === 'upsertAccount' && !state.accounts.includes(result.id)) state.accounts.push(result.id);
}

function resolve(ref: StateRef, state: RunState): string {
  const known = {
    account: state.accounts, override: state.overrides, apiKey: state.apiKeys, operator: state.operators, overrideRequest: state.overrideRequests,
  }[ref.kind];
  return known.length ? known[ref.index % known.length]! : NO_SUCH_ID;
}

function outcomeOf(answer: HttpGraphQLAnswer): string {
  const codes = answer.errors.map((error) => error.extensions?.code ?? 'no code');
  return `HTTP ${answer.status}${codes.length ? `, ${[...new Set(codes)].join(', ')}` : ''}`;
}
