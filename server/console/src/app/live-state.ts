import { useSyncExternalStore } from 'react';

/** Whether the console's live socket is up: shown in the header, so nobody trusts a stale page. */
export type LiveStatus = 'idle' | 'connected' | 'reconnecting';

let status: LiveStatus = 'idle';
const listeners = new Set<() => void>();

/** The socket's state, set by the Apollo client's graphql-ws callbacks. */
export const liveState = {
  get: (): LiveStatus => status,
  set(next: LiveStatus) {
    if (next === status) return;
    status = next;
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

/** The live socket's state, re-rendering when it changes. */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(liveState.subscribe, liveState.get, liveState.get);
}
