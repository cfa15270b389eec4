import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type Token,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';

const MiB = 1024 * 1024;

/**
 * The most heap, by the estimates below, that parsed and validated documents may keep in Apollo
 * Server's documentStore: about 46,000 tokens of query text, or 2,500 documents the size of
 * `{ features { key name kind } plans { key } }`. Beyond it the least recently used document is
 * dropped, and parsed and validated again if it comes back.
 */
export const DOCUMENT_STORE_MAX_BYTES = 16 * MiB;

/**
 * The most heap, by the estimates below, that graphql-jit's compiled queries (with the documents
 * they keep) may take: about 700 queries of 6 fields, or 20 of 240 fields. Beyond it the least
 * recently used query is dropped, and compiled again if it comes back. Tollgate's SDK sends a
 * dozen operations; a host backend, a few dozen.
 */
export const COMPILED_QUERIES_MAX_BYTES = 32 * MiB;

// Measured on Tollgate's schema with graphql 16.15, graphql-jit 0.8.9 and Node 24 (heap after GC,
// 200 documents of each shape): a parsed document keeps 280-410 bytes per token (Apollo parses
// with locations, so every token stays linked) plus its source text. A query compiled and run
// once kept 16 KiB for 2 fields, 32 KiB for 6, 196 KiB for 60 and 1,067 KiB for 240 written out
// (174 KiB for the same 240 through one fragment). The estimates are above every measurement, so
// the bounds hold for ordinary documents and are conservative for fragment-heavy ones.
const DOCUMENT_BYTES_PER_TOKEN = 360;
const DOCUMENT_BYTES_PER_CHAR = 2;
const COMPILED_QUERY_BYTES = 8 * 1024;
const COMPILED_BYTES_PER_SELECTION = 5 * 1024;

/**
 * Apollo Server's documentStore with a bound that counts what a document really keeps. Apollo's
 * default is bounded by the length of each document's JSON, which is a third of its heap and
 * says nothing of the compiled query that used to hang off it; 40,000 distinct query texts grew
 * the process by more than a gigabyte.
 */
export function boundedDocumentStore(): InMemoryLRUCache<DocumentNode> {
  return new InMemoryLRUCache<DocumentNode>({
    maxSize: DOCUMENT_STORE_MAX_BYTES,
    sizeCalculation: estimateDocumentBytes,
  });
}

/**
 * graphql-jit's compiled queries by query hash and operation name, least recently used first
 * out, within {@link COMPILED_QUERIES_MAX_BYTES}. Keyed by hash rather than by document so that
 * the cache's bound, not the documentStore's, decides how long a compiled query lives.
 */
export class CompiledQueryCache {
  private readonly entries = new InMemoryLRUCache<{ query: CompiledQuery; bytes: number }>({
    maxSize: COMPILED_QUERIES_MAX_BYTES,
    sizeCalculation: (entry) => entry.bytes,
  });

  /** The compiled query under `key` (`<query hash>:<operation name>`), now most recently used. */
  async get(key: string): Promise<CompiledQuery | undefined> {
    return (await this.entries.get(key))?.query;
  }

  /** Keeps `query`, compiled from `operation` of `document`, unless it alone exceeds the bound. */
  async set(key: string, query: CompiledQuery, document: DocumentNode, operation: OperationDefinitionNode): Promise<void> {
    const bytes = estimateDocumentBytes(document) + estimateCompiledBytes(document, operation);
    if (bytes <= COMPILED_QUERIES_MAX_BYTES) await this.entries.set(key, { query, bytes });
  }
}

/** Heap a parsed document keeps: its tokens (Apollo parses with locations) and its source text. */
function estimateDocumentBytes(document: DocumentNode): number {
  if (!document.loc) return Buffer.byteLength(JSON.stringify(document)) * 4;
  let tokens = 0;
  for (let token: Token | null = document.loc.startToken; token; token = token.next) tokens++;
  return tokens * DOCUMENT_BYTES_PER_TOKEN + document.loc.source.body.length * DOCUMENT_BYTES_PER_CHAR;
}

/**
 * Heap graphql-jit's code for one operation keeps, from the selections it compiles: every field
 * and fragment spread, with a fragment's fields counted at each place it is spread (graphql-jit
 * shares some of that code, so this over-estimates). The walk stops once the estimate exceeds
 * the whole cache, so a fragment spread a thousand times costs no more than that to weigh.
 */
function estimateCompiledBytes(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const limit = Math.ceil(COMPILED_QUERIES_MAX_BYTES / COMPILED_BYTES_PER_SELECTION) + 1;
  let selections = 0;
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selections > limit) return;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
        continue;
      }
      selections++;
      if (selection.kind === Kind.FIELD) {
        if (selection.selectionSet) visit(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return COMPILED_QUERY_BYTES + selections * COMPILED_BYTES_PER_SELECTION;
}
