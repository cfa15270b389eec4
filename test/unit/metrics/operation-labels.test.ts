import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OPERATION_LABELS, OperationLabels } from '../../../server/dist/metrics/index.js';

/**
 * The `operation` label of request metrics is chosen by clients, so its values are bounded.
 * Property: whatever bodies arrive (names, junk, huge texts, non-objects), a process labels at
 * most MAX_OPERATION_LABELS distinct names plus `anonymous` and `other`, each a GraphQL name of
 * at most 64 characters; a name labelled once keeps its label after the bound is reached.
 */
describe('OperationLabels', () => {
  it('reads the name from operationName, else from the document\'s first operation', () => {
    const labels = new OperationLabels();
    expect(labels.of({ operationName: 'Entitlement', query: 'query Other { a }' })).toBe('Entitlement');
    expect(labels.of({ query: '# the SDK\n  query Usage($id: ID!) { usage { used } }' })).toBe('Usage');
    expect(labels.of({ query: 'mutation Consume { consume { ok } }' })).toBe('Consume');
    expect(labels.of({ query: '{ features { key } }' })).toBe('anonymous');
    expect(labels.of({ operationName: 'not a name!' })).toBe('other');
    expect(labels.of(null)).toBe('anonymous');
  });

  it('never labels more than its bound, whatever clients send', () => {
    const body = fc.oneof(
      fc.record({ operationName: fc.oneof(fc.string(), fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,80}$/)) }),
      fc.record({ query: fc.oneof(fc.string(), fc.stringMatching(/^query [A-Za-z]{1,70} \{ a \}$/)) }),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.array(body, { minLength: 0, maxLength: 600 }), (bodies) => {
        const labels = new OperationLabels();
        const seen = new Set<string>();
        for (const candidate of bodies) {
          const label = labels.of(candidate);
          seen.add(label);
          expect(label).toMatch(/^[_A-Za-z][_0-9A-Za-z]{0,63}$/);
        }
        seen.delete('anonymous');
        seen.delete('other');
        expect(seen.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS);
        for (const name of seen) expect(labels.of({ operationName: name })).toBe(name);
      }),
      { numRuns: 50 },
    );
  });
});
