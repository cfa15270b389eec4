'use client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useCallback, useState } from 'react';
import { readEntitlementError } from '../entitlement-error.js';
import { useTollgate } from './tollgate-context.js';

/** The outcome of one call of the function {@link useConsume} returns. */
export type ConsumeOutcome<T> = { ok: true; result: T } | { ok: false; refused: true } | { ok: false; refused: false; error: Error };

/** What {@link useConsume} returns. */
export interface UseConsumeResult<T> {
  /** Runs the action; on a refusal opens the upgrade prompt, on success refreshes every Tollgate hook. */
  consume(amount?: number): Promise<ConsumeOutcome<T>>;
  loading: boolean;
  error: Error | undefined;
}

/**
 * Wraps the action that uses up a feature. Browsers never count usage themselves: `action` is
 * your own API call (which consumes on your backend with a server key). When it is refused with
 * ENTITLEMENT_DENIED or LIMIT_EXCEEDED the upgrade prompt opens; when it succeeds, every mounted
 * hook refreshes, so meters move at once.
 *
 * @example
 * const { consume } = useConsume('notes', () => createNote({ variables: { title } }));
 * await consume();
 */
export function useConsume<T>(feature: string, action: (amount?: number) => Promise<T>): UseConsumeResult<T> {
  const { openPaywall, refresh } = useTollgate();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  const consume = useCallback(
    async (amount?: number): Promise<ConsumeOutcome<T>> => {
      setLoading(true);
      setError(undefined);
      try {
        const result = await action(amount);
        await refresh();
        return { ok: true, result };
      } catch (caught) {
        const refusal = refusalOf(caught);
        if (refusal) {
          openPaywall(refusal.feature || feature, refusal.requested ?? amount);
          return { ok: false, refused: true };
        }
        const failure = caught instanceof Error ? caught : new Error(String(caught));
        setError(failure);
        return { ok: false, refused: false, error: failure };
      } finally {
        setLoading(false);
      }
    },
    [action, feature, openPaywall, refresh],
  );

  return { consume, loading, error };
}

function refusalOf(error: unknown) {
  const errors = CombinedGraphQLErrors.is(error)
    ? error.errors
    : [error as { extensions?: Record<string, unknown> }];
  for (const candidate of errors) {
    const refusal = readEntitlementError(candidate as { extensions?: Record<string, unknown> });
    if (refusal) return refusal;
  }
  return null;
}
