import { useSubscription } from '@apollo/client/react';
import { ConsoleSessionWatchDocument } from '../generated/graphql.js';

/**
 * Keeps the console's live socket open on every signed-in page, whatever the page subscribes to.
 * The server closes an operator's sockets with 4401 the moment their session ends (deactivated,
 * a new role, signed out elsewhere, ended by an owner), and the Apollo client then sends the page
 * to sign-in (apollo-client.ts): so an ended session leaves no console open, even on a page that
 * would make no request until clicked. The subscription is the smallest one every operator may
 * hold (override requests changed, any account); its pushes are ignored.
 */
export function SessionWatch() {
  useSubscription(ConsoleSessionWatchDocument);
  return null;
}
