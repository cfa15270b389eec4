/**
 * Stands in for the app's own authentication in the recipe (in a Next.js app: your auth
 * library reading the session cookie). The test signs an account in.
 */
let signedIn: string | null = null;

export function signIn(accountId: string): void {
  signedIn = accountId;
}

export async function getSession(): Promise<{ accountId: string }> {
  if (!signedIn) throw new Error('Nobody is signed in.');
  return { accountId: signedIn };
}
