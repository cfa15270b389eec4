'use client';
import type { ReactNode } from 'react';
import { Paywall } from './paywall.js';
import { useEntitlement } from './use-entitlement.js';

/** Props of {@link Feature}. */
export interface FeatureProps {
  /** The feature key. */
  name: string;
  amount?: number;
  /** Shown when not allowed. Default: a Paywall for the feature. */
  fallback?: ReactNode;
  /** Shown while the decision loads. Default: nothing. */
  loading?: ReactNode;
  children?: ReactNode;
}

/**
 * Renders its children when the account may use the feature, and the fallback (a Paywall by
 * default) when not. Switches by itself when the plan changes.
 *
 * @example
 * <Feature name="export_csv"><ExportButton /></Feature>
 */
export function Feature({ name, amount, fallback, loading, children }: FeatureProps) {
  const decision = useEntitlement(name, { amount });
  if (!decision.entitlement) return <>{loading ?? null}</>;
  if (decision.allowed) return <>{children}</>;
  return <>{fallback === undefined ? <Paywall feature={name} amount={amount} /> : fallback}</>;
}
