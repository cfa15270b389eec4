import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../validation/index.js';
import type { AccountSort, SubscriptionPhase } from '../vocabulary/index.js';

/** What accounts(search, plan, phase, first, after) asks. */
export interface AccountSearch {
  search: string | null;
  plan: string | null;
  phase: SubscriptionPhase | null;
  /** true: only accounts with an override in force now; false: only those without. */
  hasActiveOverrides: boolean | null;
  /** true: only accounts with an open billing sync issue about one of their customers or subscriptions; false: only those without. */
  hasSyncIssue: boolean | null;
  /** Only accounts that have counted some usage, ever: the candidates the over-a-limit filter evaluates. */
  hasUsage: boolean;
  /** The order, over every page; the id breaks ties. */
  sort: AccountSort;
  descending: boolean;
  first: number;
  /** Where the previous page ended, in this order. */
  after: AccountPosition | null;
}

/** An account's place in an order: its sort key (the id itself for ID) and its id. */
export interface AccountPosition {
  key: string;
  id: string;
}

/** Each order's key, as text (a timestamp's own text keeps its microseconds) and how a cursor's text is read back. */
const SORT_KEYS: Record<AccountSort, { key: string; fromText: string }> = {
  ID: { key: 'a.id', fromText: '?' },
  NAME: { key: 'lower(a.name)', fromText: '?' },
  CREATED: { key: 'a.created_at', fromText: '?::timestamptz' },
};

/** Searches shorter than this match the start of an id or name (prefix indexes); longer ones, any part of the id, name or metadata values (trigram index). */
export const TRIGRAM_MIN_LENGTH = 3;

/**
 * The subscription's phase at `:now`, in SQL: the same rules as the evaluator's
 * subscriptionPhase() over subscriptionAt() (a due scheduled change puts the subscription on its
 * new version and withdraws a cancellation at period end). A property test holds the two to the
 * same answer for generated subscriptions.
 */
export const PHASE_SQL = `
  case
    when s.id is null then null
    when s.cancel_at_period_end and not due.due
      and (case when s.status = 'TRIALING' then s.trial_ends_at else s.current_period_end end) <= :now then 'CANCELED'
    when s.status = 'TRIALING' then case
      when s.trial_ends_at is null then 'EXPIRED'
      when :now < s.trial_ends_at then case when s.cancel_at_period_end and not due.due then 'CANCELING' else 'TRIAL' end
      when :now < s.trial_ends_at + make_interval(days => coalesce(case when due.due then spv.trial_grace_days else pv.trial_grace_days end, 0)) then 'TRIAL_GRACE'
      else 'EXPIRED' end
    when s.status = 'ACTIVE' then case when s.cancel_at_period_end and not due.due then 'CANCELING' else 'ACTIVE' end
    when s.status = 'PAST_DUE' then case when s.grace_ends_at is null or :now < s.grace_ends_at then 'PAST_DUE' else 'EXPIRED' end
    when s.status = 'CANCELED' then 'CANCELED'
    else 'EXPIRED'
  end`;

/** The key of the plan an account is on at `:now`: its subscription's (the scheduled one once due), or the default plan's. */
const PLAN_SQL = `coalesce(case when due.due then sp.key else p.key end, (select key from plan where is_default))`;

/** An override of account `a` in force at `:now`: the same rule as overrideInForce(), by the (account, feature) index. */
const OVERRIDE_IN_FORCE_SQL = `select 1 from override o where o.account_id = a.id
  and o.starts_at <= :now and (o.ends_at is null or :now < o.ends_at) and (o.revoked_at is null or :now < o.revoked_at)`;

/**
 * The accounts an open sync issue is about: through the billing customer or subscription it
 * names. Open issues are few (the (resolved_at, kind) index finds them), so this is small.
 */
const OPEN_SYNC_ISSUE_ACCOUNTS_SQL = `select bc.account_id from billing_sync_issue i join billing_customer bc on bc.customer_id = i.customer_id where i.resolved_at is null
  union select bs.account_id from billing_sync_issue i join billing_subscription bs on bs.subscription_id = i.subscription_id where i.resolved_at is null`;

/**
 * One page of account ids, in the query's order. One statement: a union of one arm per index the search can use
 * (the trigram index on the generated `search_text` column for three characters or more, the
 * lower(id) and lower(name) prefix indexes for shorter, a billing customer id by its primary
 * key), each arm filtered by plan and phase and cut to the page itself, then merged. An arm cut
 * to its own first page lets PostgreSQL walk the primary key when thousands match and the arm's
 * index when few do; the page of the union is within the union of the arms' pages. (One OR over
 * the table instead makes it guess that half the table matches and walk everything.)
 */
export async function searchAccountIds(em: EntityManager, query: AccountSearch, now: Date): Promise<{ rows: AccountPosition[]; hasNextPage: boolean }> {
  const params: unknown[] = [];
  const value = (v: unknown) => {
    params.push(v);
    return '?';
  };
  const limit = query.first + 1;
  const { key, fromText } = SORT_KEYS[query.sort];
  const direction = query.descending ? 'desc' : 'asc';
  const order = query.sort === 'ID' ? `${key} ${direction}` : `${key} ${direction}, a.id ${direction}`;

  /** One arm: the accounts matching `match` (or all), with the plan and phase filters, its first page by id. */
  const arm = (match: string | null, matchParams: unknown[]) => {
    const where = [match];
    params.push(now);
    params.push(...matchParams);
    if (query.plan !== null) where.push(`${PLAN_SQL} = ${value(query.plan)}`);
    if (query.phase !== null) where.push(`(${PHASE_SQL.replace(/:now/g, () => value(now))}) = ${value(query.phase)}`);
    if (query.hasActiveOverrides !== null) where.push(`${query.hasActiveOverrides ? '' : 'not '}exists (${OVERRIDE_IN_FORCE_SQL.replace(/:now/g, () => value(now))})`);
    if (query.hasSyncIssue !== null) where.push(`a.id ${query.hasSyncIssue ? '' : 'not '}in (${OPEN_SYNC_ISSUE_ACCOUNTS_SQL})`);
    if (query.hasUsage) where.push(`exists (select 1 from usage_counter uc where uc.account_id = a.id and uc.used > 0)`);
    if (query.after !== null) {
      const beyond = query.descending ? '<' : '>';
      const position = query.after;
      where.push(query.sort === 'ID' ? `a.id ${beyond} ${value(position.id)}` : `(${key}, a.id) ${beyond} (${fromText.replace('?', () => value(position.key))}, ${value(position.id)})`);
    }
    const conditions = where.filter((condition): condition is string => condition !== null);
    return `(select a.id, ${key}::text as sort_key, ${key} as sort_value from account a
      left join subscription s on s.account_id = a.id
      cross join lateral (select s.scheduled_change_at is not null and s.scheduled_change_at <= ? as due) due
      left join plan_version pv on pv.id = s.plan_version_id
      left join plan p on p.id = pv.plan_id
      left join plan_version spv on spv.id = s.scheduled_plan_version_id
      left join plan sp on sp.id = spv.plan_id
      ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
      order by ${order} limit ${value(limit)})`;
  };

  const arms: string[] = [];
  if (query.search === null) {
    arms.push(arm(null, []));
  } else {
    const term = query.search.trim().toLowerCase();
    if (!term) throw badUserInput([{ path: 'search', message: 'must not be empty or only spaces; leave it out to list every account' }]);
    const escaped = term.replace(/[\\%_]/g, (character) => `\\${character}`);
    if (term.length >= TRIGRAM_MIN_LENGTH) {
      arms.push(arm('a.search_text like ?', [`%${escaped}%`]));
    } else {
      arms.push(arm('lower(a.id) like ?', [`${escaped}%`]), arm('lower(a.name) like ?', [`${escaped}%`]));
    }
    // A billing customer id (cus_…) matches as typed, whole: Stripe's ids are case-sensitive.
    arms.push(arm('a.id in (select account_id from billing_customer where customer_id = ?)', [query.search.trim()]));
  }
  const outerOrder = query.sort === 'ID' ? `id ${direction}` : `sort_value ${direction}, id ${direction}`;
  const sql = `select id, sort_key from (${arms.join(' union ')}) page order by ${outerOrder} limit ${value(limit)}`;
  const rows = await em.execute<{ id: string; sort_key: string }[]>(sql, params);
  return { rows: rows.slice(0, query.first).map((row) => ({ id: row.id, key: row.sort_key })), hasNextPage: rows.length > query.first };
}
