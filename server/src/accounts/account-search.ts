import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../validation/index.js';
import type { SubscriptionPhase } from '../vocabulary/index.js';

/** What accounts(search, plan, phase, first, after) asks. */
export interface AccountSearch {
  search: string | null;
  plan: string | null;
  phase: SubscriptionPhase | null;
  first: number;
  /** The last id of the previous page. */
  after: string | null;
}

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

/**
 * One page of account ids, by id. Every condition is index-backed where it narrows: the search
 * through the trigram index on the generated `search_text` column (three characters or more)
 * or the lower(id)/lower(name) prefix indexes (shorter), a billing customer id through its
 * primary key; plan and phase filter the accounts that remain. One statement.
 */
export async function searchAccountIds(em: EntityManager, query: AccountSearch, now: Date): Promise<{ ids: string[]; hasNextPage: boolean }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const value = (v: unknown) => {
    params.push(v);
    return '?';
  };
  // Named `now` once for the phase expression, positionally everywhere it appears.
  const withNow = (sql: string) => sql.replace(/:now/g, () => value(now));

  const selectDue = `(select s.scheduled_change_at is not null and s.scheduled_change_at <= ${value(now)} as due) due`;
  if (query.search !== null) {
    const term = query.search.trim().toLowerCase();
    if (!term) throw badUserInput([{ path: 'search', message: 'must not be empty or only spaces; leave it out to list every account' }]);
    const escaped = term.replace(/[\\%_]/g, (character) => `\\${character}`);
    // One arm per index, united, rather than one OR over the table: an OR with a subquery makes
    // PostgreSQL guess half the table matches and walk the primary key instead of any index.
    const arms = term.length >= TRIGRAM_MIN_LENGTH
      ? [`select id from account where search_text like ${value(`%${escaped}%`)}`]
      : [`select id from account where lower(id) like ${value(`${escaped}%`)}`, `select id from account where lower(name) like ${value(`${escaped}%`)}`];
    // A billing customer id (cus_…) matches as typed, whole: Stripe's ids are case-sensitive.
    arms.push(`select account_id from billing_customer where customer_id = ${value(query.search.trim())}`);
    where.push(`a.id in (${arms.join(' union ')})`);
  }
  if (query.plan !== null) where.push(`${PLAN_SQL} = ${value(query.plan)}`);
  if (query.phase !== null) where.push(`(${withNow(PHASE_SQL)}) = ${value(query.phase)}`);
  if (query.after !== null) where.push(`a.id > ${value(query.after)}`);

  const sql = `
    select a.id from account a
    left join subscription s on s.account_id = a.id
    cross join lateral ${selectDue}
    left join plan_version pv on pv.id = s.plan_version_id
    left join plan p on p.id = pv.plan_id
    left join plan_version spv on spv.id = s.scheduled_plan_version_id
    left join plan sp on sp.id = spv.plan_id
    ${where.length ? `where ${where.join(' and ')}` : ''}
    order by a.id
    limit ${value(query.first + 1)}`;
  const rows = await em.execute<{ id: string }[]>(sql, params);
  return { ids: rows.slice(0, query.first).map((row) => row.id), hasNextPage: rows.length > query.first };
}
