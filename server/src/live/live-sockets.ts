import type { GraphQLError } from 'graphql';
import { tooManySubscriptions } from './live.errors.js';

/** The socket bounds of live updates (from the config). */
export interface LiveSocketSettings {
  /** Open sockets from one client address, whoever's credential they carry. */
  maxPerAddress: number;
  /** Open sockets of one account's client tokens. */
  maxPerAccountToken: number;
}

/** A place taken by {@link LiveSockets}: give it back once, when the socket closes. */
export type Release = () => void;

/**
 * Counts this process's live sockets by client address (at the WebSocket upgrade, before any
 * work) and by the account of a client token (once the socket has authenticated), and refuses
 * a socket past either bound with TOO_MANY_SUBSCRIPTIONS. Memory is one counter per address or
 * account with an open socket; a counter at zero is forgotten.
 *
 * @example
 * const admitted = sockets.admitAddress('203.0.113.9');
 * if ('refusal' in admitted) return refuse(admitted.refusal);
 * socket.once('close', admitted.release);
 */
export class LiveSockets {
  private readonly byAddress = new Map<string, number>();
  private readonly byAccount = new Map<string, number>();
  private openSockets = 0;

  constructor(private readonly settings: LiveSocketSettings) {}

  /** Sockets admitted by address and not yet closed (for `/metrics`). */
  get open(): number {
    return this.openSockets;
  }

  /** Open sockets of one account's client tokens (for tests and `/metrics`). */
  ofAccountToken(accountId: string): number {
    return this.byAccount.get(accountId) ?? 0;
  }

  /** Open sockets from one client address. */
  fromAddress(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  /** A place for one more socket from `address`, or the refusal (bound `address`). */
  admitAddress(address: string): { release: Release } | { refusal: GraphQLError } {
    const admitted = this.take(this.byAddress, address, this.settings.maxPerAddress, 'address');
    if ('refusal' in admitted) return admitted;
    this.openSockets += 1;
    return {
      release: once(() => {
        this.openSockets -= 1;
        admitted.release();
      }),
    };
  }

  /** A place for one more socket of a client token of `accountId`, or the refusal (bound `account-sockets`). */
  admitAccountToken(accountId: string): { release: Release } | { refusal: GraphQLError } {
    return this.take(this.byAccount, accountId, this.settings.maxPerAccountToken, 'account-sockets');
  }

  private take(counts: Map<string, number>, key: string, limit: number, bound: 'address' | 'account-sockets'): { release: Release } | { refusal: GraphQLError } {
    const held = counts.get(key) ?? 0;
    if (held >= limit) return { refusal: tooManySubscriptions(bound, limit) };
    counts.set(key, held + 1);
    return {
      release: once(() => {
        const left = (counts.get(key) ?? 1) - 1;
        if (left > 0) counts.set(key, left);
        else counts.delete(key);
      }),
    };
  }
}

/** `release` callable any number of times, counted once (a socket's close and an error may both call it). */
function once(release: () => void): Release {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
