import Negotiator from 'negotiator';

/** The most query texts remembered, and the most characters of them together. */
const MAX_QUERIES = 2_000;
const MAX_TEXT_CHARS = 4 * 1024 * 1024;
/** Distinct Accept headers whose answer is remembered (clients send a handful). */
const MAX_ACCEPT_HEADERS = 256;

/** What Apollo Server answers a single result with, by Accept header (its own order of preference). */
const APPLICATION_JSON = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
const MEDIA_TYPES = [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, 'application/json; callbackSpec=1.0; charset=utf-8'];

/**
 * Query texts Apollo Server has already parsed and validated (graphql-armor's limits included)
 * and that were compiled: the key of each one's compiled query, by exact text and operation
 * name. Only queries: a mutation is never answered outside Apollo's pipeline. Bounded by count
 * and by total text; the oldest is forgotten first. It holds keys, not compiled queries, so the
 * compiled-query cache's own bound still decides what stays compiled.
 */
export class KnownQueries {
  private readonly keys = new Map<string, string>();
  private chars = 0;
  private readonly contentTypes = new Map<string, string | null>();

  /** Remembers that `text` (with `operationName`) is a valid query compiled under `key`. */
  remember(text: string, operationName: string | null, key: string): void {
    const id = identity(text, operationName);
    if (this.keys.has(id) || id.length > MAX_TEXT_CHARS) return;
    this.keys.set(id, key);
    this.chars += id.length;
    while (this.keys.size > MAX_QUERIES || this.chars > MAX_TEXT_CHARS) {
      const oldest = this.keys.keys().next().value!;
      this.keys.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  /** The compiled query's key for this exact text and operation name, if it was remembered. */
  keyOf(text: string, operationName: string | null): string | undefined {
    return this.keys.get(identity(text, operationName));
  }

  /**
   * The content type Apollo Server would answer this Accept header with (null: one it would
   * refuse or answer otherwise, which is left to it).
   */
  contentTypeFor(accept: string | undefined): string | null {
    if (!accept) return APPLICATION_JSON;
    const cached = this.contentTypes.get(accept);
    if (cached !== undefined) return cached;
    const preferred = new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES);
    const type = preferred === APPLICATION_JSON || preferred === GRAPHQL_RESPONSE_JSON ? preferred : null;
    if (this.contentTypes.size >= MAX_ACCEPT_HEADERS) this.contentTypes.clear();
    this.contentTypes.set(accept, type);
    return type;
  }
}

function identity(text: string, operationName: string | null): string {
  return operationName === null ? text : `${text}\u0000${operationName}`;
}
