'use client';
import { useEntitlement } from './use-entitlement.js';
import { useGateWarning, type ErrorFallback } from './use-gate-warning.js';

/** Props of {@link UsageMeter}. */
export interface UsageMeterProps {
  feature: string;
  /** Default: the feature's name. */
  label?: string;
  /** What to show when the usage cannot be known (Tollgate down, a bad token, an unknown key); default nothing, with one warning. */
  errorFallback?: ErrorFallback;
  className?: string;
}

/**
 * A progress bar of usage against the limit: a warning state past the plan's soft limit, an
 * "at limit" state (its own class, colour and words) once nothing is left, and "unlimited" when
 * there is no limit. The state is also in `data-state`: `ok`, `warning` or `at-limit`.
 *
 * @example
 * <UsageMeter feature="api_calls" />
 */
export function UsageMeter({ feature, label, errorFallback, className }: UsageMeterProps) {
  const { entitlement, error } = useEntitlement(feature);
  // A meter that cannot know the usage says so (or warns once), never shows a made-up 0.
  const fallback = useGateWarning(feature, error, errorFallback);
  if (error) return <>{fallback}</>;
  if (!entitlement) return null;
  const name = label ?? entitlement.featureName;
  const used = entitlement.used;
  const unit = entitlement.unit ? ` ${entitlement.unit}` : '';
  const atLimit = entitlement.limit !== null && used >= entitlement.limit;
  const state = atLimit ? 'at-limit' : entitlement.softLimitReached ? 'warning' : 'ok';
  const classes = ['tollgate-meter', state === 'ok' ? '' : `tollgate-meter--${state}`, className ?? ''].filter(Boolean).join(' ');
  if (entitlement.limit === null) {
    return (
      <div className={classes} data-state={state}>
        <span className="tollgate-meter__label">{name}</span>
        <span className="tollgate-meter__value">{`${used.toLocaleString('en-US')}${unit} used · unlimited`}</span>
      </div>
    );
  }
  // Said in words too, not by colour alone.
  const text = `${used.toLocaleString('en-US')} of ${entitlement.limit.toLocaleString('en-US')}${unit} used${atLimit ? ' · limit reached' : ''}`;
  const percent = entitlement.limit === 0 ? 100 : Math.min(100, (used / entitlement.limit) * 100);
  return (
    <div className={classes} data-state={state}>
      <span className="tollgate-meter__label">{name}</span>
      <div
        role="progressbar"
        aria-label={name}
        aria-valuemin={0}
        aria-valuemax={entitlement.limit}
        aria-valuenow={Math.min(used, entitlement.limit)}
        aria-valuetext={text}
        className="tollgate-meter__track"
      >
        <div className="tollgate-meter__bar" style={{ width: `${percent}%` }} />
      </div>
      <span className="tollgate-meter__value">{text}</span>
    </div>
  );
}
