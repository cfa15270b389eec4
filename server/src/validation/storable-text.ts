import type { InvalidField } from './validate-input.js';

/** Deeper input than this is refused: no GraphQL input or metadata document needs it. */
const MAX_DEPTH = 32;

/**
 * Every string in an input, at any depth (metadata JSON included), that PostgreSQL cannot store
 * as it was sent: a NUL character (text columns refuse it) or an unpaired UTF-16 surrogate (it
 * would silently become U+FFFD on the way to UTF-8). Checked once for every validated input, so
 * no field can forget it. Returns one problem per bad string, with its path, and whether the
 * input is nested too deep to be looked into any further.
 */
export function unstorableText(input: unknown): { problems: InvalidField[]; tooDeep: boolean } {
  const problems: InvalidField[] = [];
  let tooDeep = false;
  // Iterative, so a hostile, deeply nested document cannot overflow the stack.
  const pending: { value: unknown; path: string[] }[] = [{ value: input, path: [] }];
  while (pending.length) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ path: path.join('.'), message: problem });
      continue;
    }
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    if (path.length >= MAX_DEPTH) {
      problems.push({ path: path.join('.'), message: `is nested more than ${MAX_DEPTH} levels deep` });
      tooDeep = true;
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) problems.push({ path: [...path, '(key)'].join('.'), message: keyProblem });
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return { problems: problems.sort((a, b) => a.path.localeCompare(b.path)), tooDeep };
}

function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (!value.isWellFormed()) return 'must be valid Unicode: it contains an unpaired surrogate';
  return null;
}
