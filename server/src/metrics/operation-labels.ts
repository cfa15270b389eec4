/** The most distinct operation names a process labels; later new ones are counted as `other`. */
export const MAX_OPERATION_LABELS = 200;

/** A GraphQL name as the spec writes it, kept short for a label. */
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** The first operation's name in a document's text, when it starts with a named one (comments allowed). */
const FIRST_OPERATION = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]{0,63})\b/;

/**
 * The `operation` label of a GraphQL request, bounded: clients choose operation names, and every
 * distinct label value is a time series a Prometheus keeps, so a process labels at most
 * {@link MAX_OPERATION_LABELS} names and counts the rest as `other`. A request without a name is
 * `anonymous`; one with a name that is not a GraphQL name is `other`.
 *
 * @example
 * const labels = new OperationLabels();
 * labels.of({ operationName: 'Entitlement' }); // 'Entitlement'
 * labels.of({ query: 'query Usage { usage(...) { used } }' }); // 'Usage'
 * labels.of({ query: '{ features { key } }' }); // 'anonymous'
 */
export class OperationLabels {
  private readonly known = new Set<string>();

  of(body: unknown): string {
    if (!body || typeof body !== 'object') return 'anonymous';
    const { operationName, query } = body as { operationName?: unknown; query?: unknown };
    let name: string | null = null;
    if (typeof operationName === 'string' && operationName !== '') {
      if (!NAME.test(operationName)) return 'other';
      name = operationName;
    } else if (typeof query === 'string') {
      // Only the start of the text: a label is not worth reading a large document for.
      name = FIRST_OPERATION.exec(query.slice(0, 1024))?.[1] ?? null;
    }
    if (name === null) return 'anonymous';
    if (this.known.has(name)) return name;
    if (this.known.size >= MAX_OPERATION_LABELS) return 'other';
    this.known.add(name);
    return name;
  }
}
