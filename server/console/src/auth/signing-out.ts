/**
 * Whether this page is signing its person out. Signing out ends the session, so the server closes
 * the live socket (4401) and any request in flight answers UNAUTHENTICATED: both say "the session
 * is gone", which elsewhere sends the page to sign-in. While the person is signing out on purpose,
 * the sign-out's own page ("You are signed out") must win that race.
 */
let signingOut = false;

/** Marks the sign-out as under way: "the session is gone" is expected from now on. */
export function beginSignOut(): void {
  signingOut = true;
}

/** True once this page started signing out. */
export function isSigningOut(): boolean {
  return signingOut;
}
