import { execute, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';

/** Turns a result's errors into what the client may see (the server's formatter). */
export type FormatErrors = (errors: readonly GraphQLError[]) => unknown[];

/**
 * Live pushes, executed and serialised once per event and subscription shape, the bytes shared
 * by every subscriber of that shape.
 *
 * An event is one object per account and computation (live/'s EntitlementsChange), handed to
 * every subscriber of the account; what a subscriber receives depends only on that event and on
 * its document, operation name and variables (a subscription's fields read nothing from the
 * context). So the first subscriber to take an event executes and serialises it; the others get
 * the same string. 10,000 subscribers of one account cost one execution and one JSON.stringify
 * per push, not 10,000. Entries live as long as their event (a WeakMap): the account's latest
 * push and the pushes subscribers have not taken yet.
 */
export class SharedPushes {
  private readonly byEvent = new WeakMap<object, Map<string, Promise<string>>>();

  constructor(private readonly formatErrors: FormatErrors) {}

  /**
   * The serialised `next` payload (`{"data":…}`) of `event` for a subscription of shape `shape`
   * (its document, operation name and variables: see {@link subscriptionShape}), executed with
   * `args` the first time.
   */
  payload(event: unknown, shape: string, args: ExecutionArgs): Promise<string> {
    if (typeof event !== 'object' || event === null) return this.serialise(event, args);
    let byShape = this.byEvent.get(event);
    if (!byShape) this.byEvent.set(event, (byShape = new Map()));
    let bytes = byShape.get(shape);
    if (!bytes) {
      bytes = this.serialise(event, args);
      byShape.set(shape, bytes);
    }
    return bytes;
  }

  private async serialise(event: unknown, args: ExecutionArgs): Promise<string> {
    // As graphql's own subscribe maps each event: the operation executed with the event as root value.
    const result: ExecutionResult = await execute({ ...args, rootValue: event });
    return JSON.stringify(result.errors ? { ...result, errors: this.formatErrors(result.errors) } : result);
  }
}

/** What makes two subscriptions receive the same bytes for the same event. */
export function subscriptionShape(query: string, operationName: string | null | undefined, variables: unknown): string {
  return `${operationName ?? ''}\u0000${JSON.stringify(variables ?? null)}\u0000${query}`;
}

/** The graphql-transport-ws `next` message around an already serialised payload. */
export function nextMessage(id: string, payload: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`;
}
