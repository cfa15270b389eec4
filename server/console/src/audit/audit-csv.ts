/** One audit entry as the export writes it: the fields of the AuditLog query's nodes. */
export interface AuditCsvEntry {
  at: string;
  actor: string;
  actorKind: string;
  action: string;
  accountId: string | null;
  entityType: string;
  entityId: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

/** The export's columns, in order; `before` and `after` are written as JSON. */
export const AUDIT_CSV_COLUMNS = ['at', 'actor', 'actorKind', 'action', 'accountId', 'entityType', 'entityId', 'reason', 'before', 'after'] as const;

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or leading or
 * trailing space, with quotes doubled. A value a spreadsheet would run as a formula (starting with
 * =, +, -, @, a tab or a carriage return) gets a leading apostrophe first, so opening the export
 * in Excel or Sheets runs nothing an actor, a reason or an account id put there.
 *
 * @example
 * csvCell('said "hi", left') // '"said ""hi"", left"'
 * csvCell('=HYPERLINK("x")') // '"\'=HYPERLINK(""x"")"'
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The audit entries as a CSV file: a header line, then one line per entry, lines ended by CRLF
 * (RFC 4180), so every spreadsheet splits it the same way whatever a reason contains.
 */
export function auditCsv(entries: readonly AuditCsvEntry[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const entry of entries) lines.push(AUDIT_CSV_COLUMNS.map((column) => csvCell(entry[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
