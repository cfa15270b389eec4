import { dictionary } from '@zxcvbn-ts/language-common';

/** The shortest password accepted: NIST SP 800-63B asks at least 8, and 15 where a password is the only factor; 12 is the console's floor. */
export const MIN_PASSWORD_LENGTH = 12;

/** The longest password accepted; argon2 would take more, but nobody types more, and a bound keeps a request's work bounded. */
export const MAX_PASSWORD_LENGTH = 256;

/** The commonest passwords (49,000, lowercased), which attackers try first whatever their length. */
const COMMON = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

/**
 * Why a new password is refused, or null when it is fine: too short or too long (in characters,
 * as a person counts them), one of the commonest passwords, one character repeated, or the
 * operator's own email or name. The message says what to do.
 */
export function passwordProblem(password: string, person: { email: string; name: string }): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters; a few words in a row make a strong one`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the commonest passwords, which are tried first: choose another';
  if (new Set(lower).size <= 2) return 'repeats one or two characters: choose a password with more variety';
  const local = person.email.toLowerCase().split('@', 1)[0]!;
  if (lower === person.email.toLowerCase() || lower === local || lower === person.name.trim().toLowerCase()) {
    return 'must not be your email or your name';
  }
  return null;
}
