import { useCurrentPlan, useTollgate } from '@tollgate/sdk/react';
import { useEffect, useState } from 'react';
import { forgetCheckoutReturn, type CheckoutReturn } from './checkout.js';

/** Props of {@link CheckoutStatus}. */
export interface CheckoutStatusProps {
  checkout: CheckoutReturn;
  /** How often to ask Tollgate again while waiting (default 1 s). */
  intervalMs?: number;
  /** How long to keep asking before saying it takes longer (default 30 s). */
  timeoutMs?: number;
}

/**
 * The success page's part: after Stripe's page, the plan changes only when Stripe's webhook has
 * reached Tollgate, which may be a moment after the browser is back. Says "Finishing your
 * upgrade…" and refreshes every Tollgate query (entitlements, plan, offers) each second until the
 * plan is the one bought; every gate then unlocks by itself, with no click and no reload. After
 * `timeoutMs` it stops asking and says so, with a button to ask again.
 */
export function CheckoutStatus({ checkout, intervalMs = 1000, timeoutMs = 30_000 }: CheckoutStatusProps) {
  const { refresh } = useTollgate();
  const { plan, onDefaultPlan } = useCurrentPlan();
  const arrived = checkout.outcome === 'success' && plan !== undefined && (checkout.plan ? plan?.key === checkout.plan : !onDefaultPlan);
  const [deadline, setDeadline] = useState(() => Date.now() + timeoutMs);
  const [slow, setSlow] = useState(false);

  useEffect(() => {
    if (checkout.outcome !== 'success' || arrived || slow) return;
    let asking = false;
    const timer = setInterval(() => {
      if (Date.now() >= deadline) {
        setSlow(true);
        return;
      }
      // One refresh at a time: a slow answer is not piled on.
      if (asking) return;
      asking = true;
      refresh()
        .catch(() => undefined)
        .finally(() => {
          asking = false;
        });
    }, intervalMs);
    return () => clearInterval(timer);
  }, [checkout.outcome, arrived, slow, deadline, intervalMs, refresh]);

  useEffect(() => {
    if (checkout.outcome === 'canceled' || arrived) forgetCheckoutReturn();
  }, [checkout.outcome, arrived]);

  let text: string;
  if (checkout.outcome === 'canceled') text = 'Checkout canceled: nothing was charged and your plan has not changed.';
  else if (arrived) text = `Upgrade complete: you are on ${plan?.name ?? checkout.plan}.`;
  else if (slow) text = 'Your upgrade is taking longer than usual: it appears here as soon as Stripe confirms the payment. You can keep working meanwhile.';
  else text = 'Finishing your upgrade…';
  return (
    <div className="checkout-status" data-state={checkout.outcome === 'canceled' ? 'canceled' : arrived ? 'done' : slow ? 'slow' : 'waiting'}>
      <p role="status">{text}</p>
      {slow && !arrived ? (
        <button
          type="button"
          onClick={() => {
            setDeadline(Date.now() + timeoutMs);
            setSlow(false);
          }}
        >
          Check again
        </button>
      ) : null}
    </div>
  );
}
