'use server';
import type { ClientToken } from '@tollgate/sdk/react';
import { getSession } from './session.js';
import { tollgate } from './tollgate.js';

/**
 * A server action: the browser's TollgateProvider calls it for a fresh client token when the
 * one the page was rendered with is about to expire. It mints for the signed-in account only.
 */
export async function getClientToken(): Promise<ClientToken> {
  const { accountId } = await getSession();
  return tollgate.createClientToken(accountId);
}
