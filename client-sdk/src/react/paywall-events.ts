/** A request to show the upgrade prompt for a feature. */
export interface PaywallRequest {
  feature: string;
  amount?: number;
  /** The entitlement error's reason, when a refusal caused it. */
  reason?: string;
}

type Listener = (request: PaywallRequest) => void;

const listeners = new Set<Listener>();

/**
 * The channel between `createPaywallLink()` (which lives outside React, in an Apollo Client's
 * link chain) and the mounted `TollgateProvider`, which opens the prompt.
 */
export const paywallEvents = {
  emit(request: PaywallRequest): void {
    for (const listener of listeners) listener(request);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};
