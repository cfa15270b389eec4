import { sql } from './metering.js';
import type { TestServer } from './server.js';

/** Per table: its row count and a hash of every row; plus the sum of all usage counters. */
export type DatabaseSnapshot = Map<string, { rows: string; hash: string }>;

const queries = new WeakMap<TestServer, Promise<string>>();

/**
 * Everything the service stores, in one statement: for each table of the schema (the
 * migrations' own bookkeeping excepted) its row count and an md5 of all its rows in a fixed
 * order, and `usage_counter.used` summed. Two equal snapshots mean nothing was written, not
 * even an `updated_at`. Shadow comparisons already answered are written first: they are
 * stored in batches, and one answered before the snapshot must not land after it.
 */
export async function snapshotDatabase(t: TestServer): Promise<DatabaseSnapshot> {
  await t.server.services.shadow.flush();
  let query = queries.get(t);
  if (!query) {
    query = tablesOf(t).then((tables) =>
      [
        ...tables.map(
          (table) =>
            `select '${table}' as name, count(*)::text as rows, ` +
            `md5(coalesce(string_agg(x::text, chr(10) order by x::text), '')) as hash from "${table}" x`,
        ),
        `select 'usage_counter.used' as name, coalesce(sum(used), 0)::text as rows, '' as hash from usage_counter`,
      ].join(' union all '),
    );
    queries.set(t, query);
  }
  const rows = await sql<{ name: string; rows: string; hash: string }>(t, await query);
  return new Map(rows.map((row) => [row.name, { rows: row.rows, hash: row.hash }]));
}

/** What differs between two snapshots, one line per table: `audit_entry: 12 → 13 rows`. */
export function snapshotDifferences(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  const differences: string[] = [];
  for (const [name, then] of before) {
    const now = after.get(name)!;
    if (then.rows !== now.rows) differences.push(`${name}: ${then.rows} → ${now.rows}${name.includes('.') ? '' : ' rows'}`);
    else if (then.hash !== now.hash) differences.push(`${name}: rows changed`);
  }
  return differences;
}

async function tablesOf(t: TestServer): Promise<string[]> {
  const rows = await sql<{ table_name: string }>(
    t,
    `select table_name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'mikro_orm%'
     order by table_name`,
  );
  return rows.map((row) => row.table_name);
}
