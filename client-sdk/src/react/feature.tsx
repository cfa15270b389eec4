'use client';
import type { ReactNode } from 'react';
import { Paywall } from './paywall.js';
import { useGateWarning, type ErrorFallback } from './use-gate-warning.js';
import { useEntitlement } from './use-entitlement.js';

/** Props of {@link Feature}. */
export interface FeatureProps {
  /** The feature key. */
  name: string;
  amount?: number;
  /** Shown when Tollgate denies the feature. Default: a Paywall for the feature. */
  fallback?: ReactNode;
  /** Shown while the decision loads. Default: nothing. */
  loading?: ReactNode;
  /**
   * Shown when there is no decision because of an error (Tollgate down, a wrong or expired
   * token, an unknown key): a node, or a function of the error. Default: nothing, and one
   * console warning naming the cause and the fix. Never the paywall: an error is not a denial.
   */
  errorFallback?: ErrorFallback;
  children?: ReactNode;
}

/**
 * Renders its children when the account may use the feature, the fallback (a Paywall by
 * default) when Tollgate denies it, and `errorFallback` (nothing by default) when it could not
 * decide. Switches by itself when the plan changes.
 *
 * @example
 * <Feature name="export_csv" errorFallback={<p>Export is unavailable right now.</p>}>
 *   <ExportButton />
 * </Feature>
 */
export function Feature({ name, amount, fallback, loading, errorFallback, children }: FeatureProps) {
  const decision = useEntitlement(name, { amount });
  const onError = useGateWarning(name, decision.error, errorFallback);
  switch (decision.status) {
    case 'allowed':
      return <>{children}</>;
    case 'denied':
      return <>{fallback === undefined ? <Paywall feature={name} amount={amount} errorFallback={errorFallback} /> : fallback}</>;
    case 'error':
      return <>{onError}</>;
    default:
      return <>{loading ?? null}</>;
  }
}
