'use client';
import { useEffect, type ReactNode } from 'react';
import { useTollgate } from './tollgate-context.js';
import { errorCause, warnOnce, warningText } from './tollgate-error.js';

/**
 * What a gate shows instead of its content when Tollgate could not decide: a node, or a
 * function of the error (for a retry button, say).
 */
export type ErrorFallback = ReactNode | ((error: Error) => ReactNode);

/**
 * For a gate (`<Feature>`, `<Paywall>`): what to render for `error`, and, when the app gave no
 * `errorFallback`, one console warning per cause and provider saying why nothing is shown and
 * what fixes it.
 */
export function useGateWarning(feature: string, error: Error | undefined, errorFallback: ErrorFallback | undefined): ReactNode {
  const { client, accountId } = useTollgate();
  const silent = errorFallback !== undefined;
  useEffect(() => {
    if (!error || silent) return;
    const cause = errorCause(error, feature, accountId);
    warnOnce(client, cause.key, warningText(feature, cause));
  }, [error, silent, feature, accountId, client]);
  if (!error) return null;
  return typeof errorFallback === 'function' ? errorFallback(error) : (errorFallback ?? null);
}
