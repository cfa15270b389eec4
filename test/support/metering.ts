import type { TestServer } from './server.js';

/** The consume mutation with the fields tests look at. */
export const CONSUME = `mutation ($input: ConsumeInput!) {
  consume(input: $input) { ok overage entitlement { allowed reason limit used remaining requested softLimitReached resetsAt } }
}`;

/** The release mutation. */
export const RELEASE = `mutation ($input: ReleaseInput!) {
  release(input: $input) { ok entitlement { used limit remaining } }
}`;

/** Reads the database the test server uses, through the server's own ORM. */
export async function sql<T = Record<string, unknown>>(t: TestServer, query: string, params: unknown[] = []): Promise<T[]> {
  return t.server.orm.em.fork().execute<T[]>(query, params);
}

/** The counter of an account's feature summed over all periods, and its ledger rows. */
export async function counted(t: TestServer, accountId: string, feature: string): Promise<{ used: number; events: number }> {
  const [usage] = await sql<{ used: string | null }>(t, 'select sum(used) as used from usage_counter where account_id = ? and feature_key = ?', [accountId, feature]);
  const [events] = await sql<{ count: string }>(t, 'select count(*) as count from usage_event where account_id = ? and feature_key = ?', [accountId, feature]);
  return { used: Number(usage?.used ?? 0), events: Number(events?.count ?? 0) };
}
