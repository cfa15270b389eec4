import './audit.css';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { actionWords, knownActions } from '../accounts/history/action-words.js';
import { useDocumentTitle } from '../app/use-document-title.js';
import { AuditLogDocument, type ActorKind } from '../generated/graphql.js';
import { Badge, Button, DiffView, Empty, ErrorNote, Field, Skeleton, TimeText } from '../ui/index.js';
import { downloadFile, exportAuditCsv } from './audit-export.js';
import { filtersFrom, filtersToParams, fromLocalInput, toLocalInput, type AuditFilters } from './audit-filters.js';

const PAGE_SIZE = 25;

const ACTOR_KIND_WORDS: Record<ActorKind, string> = {
  OPERATOR: 'person',
  API_KEY: 'API key',
  STRIPE: 'Stripe',
  LIFECYCLE: 'on schedule',
  RECONCILIATION: 'reconciliation',
  MIGRATION: 'plan migration',
};

/**
 * The whole audit log, newest first, filtered by actor, action, account and time range, all in
 * the URL (`/audit?actor=…&action=…&account=…&since=…&until=…&after=<cursor>`) so a link shows the
 * same rows to anyone. Each entry opens to its before/after; the filtered rows export as CSV.
 */
export default function AuditPage() {
  useDocumentTitle('Audit log');
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const after = params.get('after');
  const log = useQuery(AuditLogDocument, { variables: { ...filters, first: PAGE_SIZE, after } });
  const entries = log.data?.auditLog;
  const filtered = Object.values(filters).some(Boolean);
  const actionsId = useId();

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    setParams(
      filtersToParams({
        actor: text('actor'),
        action: text('action'),
        accountId: text('account'),
        since: fromLocalInput(String(form.get('since') ?? '')),
        until: fromLocalInput(String(form.get('until') ?? '')),
      }),
    );
  };

  return (
    <div className="page">
      <h1>Audit log</h1>
      {/* Keyed by the URL: going back or following a link shows that link's filters in the boxes. */}
      <form key={params.toString()} className="audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <Field label="Actor">
          {(control) => <input {...control} name="actor" className="tg-input" placeholder="email, key name, stripe" defaultValue={filters.actor ?? ''} />}
        </Field>
        <Field label="Action">
          {(control) => <input {...control} name="action" className="tg-input" list={actionsId} placeholder="override.grant" defaultValue={filters.action ?? ''} />}
        </Field>
        <datalist id={actionsId}>
          {knownActions().map((action) => (
            <option key={action} value={action}>
              {actionWords(action)}
            </option>
          ))}
        </datalist>
        <Field label="Account">
          {(control) => <input {...control} name="account" className="tg-input" placeholder="account id" defaultValue={filters.accountId ?? ''} />}
        </Field>
        <Field label="From">{(control) => <input {...control} name="since" type="datetime-local" className="tg-input" defaultValue={toLocalInput(filters.since)} />}</Field>
        <Field label="Until">{(control) => <input {...control} name="until" type="datetime-local" className="tg-input" defaultValue={toLocalInput(filters.until)} />}</Field>
        <div className="audit-filters__actions">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          {filtered ? <Link to="?">Clear</Link> : null}
        </div>
      </form>
      <div className="toolbar">
        <p className="tg-muted" aria-live="polite">
          {entries ? `${entries.edges.length}${entries.pageInfo.hasNextPage ? '+' : ''} ${filtered ? 'matching ' : ''}entries${after ? ' on this page' : ''}` : ''}
        </p>
        <ExportButton filters={filters} />
      </div>
      <ErrorNote error={log.error} title="Could not load the audit log" />
      {entries ? (
        entries.edges.length ? (
          <ol className="history" aria-label="Audit entries, newest first">
            {entries.edges.map(({ node }) => (
              <li key={node.id} className="history__entry">
                <div className="history__head">
                  <p>
                    <strong>{node.actor}</strong> {node.actorKind !== 'OPERATOR' ? <Badge tone="neutral">{ACTOR_KIND_WORDS[node.actorKind]}</Badge> : null} {actionWords(node.action)}
                    {node.accountId ? (
                      <>
                        {' '}
                        on <Link to={`/accounts/${encodeURIComponent(node.accountId)}/history`}>{node.accountId}</Link>
                      </>
                    ) : null}{' '}
                    <span className="mono tg-muted">{node.action}</span>
                  </p>
                  <TimeText iso={node.at} />
                </div>
                {node.reason ? <p className="history__reason">“{node.reason}”</p> : null}
                <details className="history__diff">
                  <summary>What changed</summary>
                  <DiffView before={node.before} after={node.after} label={`What ${actionWords(node.action)} changed`} />
                </details>
              </li>
            ))}
          </ol>
        ) : (
          <Empty title={filtered ? 'No entry matches' : 'Nothing audited yet'}>{filtered ? 'Widen the time range or clear a filter.' : 'Every write to Tollgate is listed here.'}</Empty>
        )
      ) : log.error ? null : (
        <Skeleton lines={6} label="Loading the audit log" />
      )}
      {entries ? (
        <nav className="pager" aria-label="Audit log pages">
          {after ? <Link to={`?${filtersToParams(filters).toString()}`}>Newest</Link> : null}
          {entries.pageInfo.hasNextPage && entries.pageInfo.endCursor ? <Link to={`?${withCursor(filters, entries.pageInfo.endCursor)}`}>Older entries</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

function withCursor(filters: AuditFilters, cursor: string): string {
  const params = filtersToParams(filters);
  params.set('after', cursor);
  return params.toString();
}

/** Exports every entry the filters match (all pages, not only this one) as a CSV download. */
function ExportButton({ filters }: { filters: AuditFilters }) {
  const client = useApolloClient();
  const [state, setState] = useState<{ busy: boolean; rows: number; note: string; error: unknown }>({ busy: false, rows: 0, note: '', error: null });
  const run = async () => {
    setState({ busy: true, rows: 0, note: '', error: null });
    try {
      const result = await exportAuditCsv(client, filters, (rows) => setState((current) => ({ ...current, rows })));
      downloadFile(`tollgate-audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}Z.csv`, result.csv, 'text/csv;charset=utf-8');
      setState({ busy: false, rows: result.rows, note: `Exported ${result.rows} ${result.rows === 1 ? 'entry' : 'entries'}${result.truncated ? ' (the first ones only: narrow the filters for the rest)' : ''}.`, error: null });
    } catch (error) {
      setState({ busy: false, rows: 0, note: '', error });
    }
  };
  return (
    <div className="export">
      <Button onClick={run} busy={state.busy}>
        {state.busy ? `Exporting… ${state.rows}` : 'Export CSV'}
      </Button>
      <p className="tg-muted export__note" role="status">
        {state.note}
      </p>
      <ErrorNote error={state.error} title="Could not export" />
    </div>
  );
}
