import type { Caller } from '../access/index.js';
import type { AuthService } from '../auth/index.js';
import type { Clock } from '../clock.js';
import type { OperatorsService } from '../operators/index.js';

/**
 * What the transports themselves call: authenticate a request's credential (a key, a token or a session) and read the clock. The object they are handed carries every service, and they pass it on
 * whole to the resolvers, each of which names the slice it reads in its own domain (services.ts
 * checks that the whole covers every slice).
 */
export interface TransportServices {
  auth: AuthService;
  /** Session cookies: an operator signed in to the console. */
  operators: OperatorsService;
  clock: Clock;
}

/** The context a transport builds for each request or live operation: the caller and the services. */
export interface TransportContext {
  principal: Caller;
  services: TransportServices;
}
