import type { ApolloClient } from '@apollo/client';
import { AuditLogDocument, type AuditLogQuery } from '../generated/graphql.js';
import { auditCsv, type AuditCsvEntry } from './audit-csv.js';
import type { AuditFilters } from './audit-filters.js';

/** Entries per request while exporting: the server's largest page. */
const EXPORT_PAGE = 100;
/** Where an export stops, so a filter left empty on a huge log does not hang the browser. */
export const EXPORT_MAX_ROWS = 50_000;

/**
 * Every entry the filters match (up to {@link EXPORT_MAX_ROWS}), read page by page from the server
 * as the page's own query, then written as CSV in the browser: nothing is generated server-side,
 * and the file holds exactly what the filtered list shows. `onProgress` hears the count so far.
 */
export async function exportAuditCsv(client: ApolloClient, filters: AuditFilters, onProgress: (rows: number) => void): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const entries: AuditCsvEntry[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: ApolloClient.QueryResult<AuditLogQuery> = await client.query({ query: AuditLogDocument, variables: { ...filters, first: EXPORT_PAGE, after }, fetchPolicy: 'network-only' });
    if (!answer.data) throw answer.error ?? new Error('The audit log answered nothing.');
    const log: AuditLogQuery['auditLog'] = answer.data.auditLog;
    for (const edge of log.edges) entries.push(edge.node);
    onProgress(entries.length);
    if (!log.pageInfo.hasNextPage || !log.pageInfo.endCursor || entries.length >= EXPORT_MAX_ROWS) {
      return { csv: auditCsv(entries.slice(0, EXPORT_MAX_ROWS)), rows: Math.min(entries.length, EXPORT_MAX_ROWS), truncated: log.pageInfo.hasNextPage };
    }
    after = log.pageInfo.endCursor;
  }
}

/** Hands a file to the browser's downloads. */
export function downloadFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has its own copy once started.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
