/** The audit log's filters, as the URL's query string holds them (`?actor=&action=&account=&since=&until=`). */
export interface AuditFilters {
  actor: string | null;
  action: string | null;
  accountId: string | null;
  /** ISO instants: a link means the same hours in every time zone. */
  since: string | null;
  until: string | null;
}

const valid = (iso: string | null) => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString() : null);

/** The filters in a query string; an unreadable instant is dropped rather than sent. */
export function filtersFrom(params: URLSearchParams): AuditFilters {
  return {
    actor: params.get('actor')?.trim() || null,
    action: params.get('action')?.trim() || null,
    accountId: params.get('account')?.trim() || null,
    since: valid(params.get('since')),
    until: valid(params.get('until')),
  };
}

/** The query string of some filters (no cursor: a new filter starts at the newest entry). */
export function filtersToParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.action) params.set('action', filters.action);
  if (filters.accountId) params.set('account', filters.accountId);
  if (filters.since) params.set('since', filters.since);
  if (filters.until) params.set('until', filters.until);
  return params;
}

/** An ISO instant as a `datetime-local` input's value, in the browser's zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A `datetime-local` value (the browser's zone) as an ISO instant, or null when empty. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
