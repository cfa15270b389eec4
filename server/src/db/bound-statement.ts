import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

/** `:name`, but not the `::` of a cast. */
const PLACEHOLDER = /(?<![:\w]):([a-zA-Z][a-zA-Z0-9]*)/g;

/**
 * Runs one statement with server-side bind parameters ($1, $2…), written with `:name`
 * placeholders like {@link named}. `em.execute` inlines every parameter into the SQL text on the
 * client, escaping it character by character: for a statement that carries a batch of 10,000
 * events as one JSON parameter that cost more than the statement itself. Errors are the driver's
 * own (SQLSTATE in `code`, such as 23505 for a unique violation), not MikroORM's exception classes.
 *
 * @example
 * const rows = await executeBound<{ used: string }>(em, 'select used from usage_counter where account_id = :id', { id });
 */
export async function executeBound<T>(em: EntityManager, sql: string, values: Record<string, unknown>): Promise<T[]> {
  const parameters: unknown[] = [];
  const positions = new Map<string, number>();
  const text = sql.replace(PLACEHOLDER, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`bound SQL: no value for :${name}`);
    let position = positions.get(name);
    if (position === undefined) {
      parameters.push(values[name]);
      position = parameters.length;
      positions.set(name, position);
    }
    return `$${position}`;
  });
  const result = await em.getKysely().executeQuery<T>(CompiledQuery.raw(text, parameters));
  return result.rows;
}

/** Whether a driver or MikroORM error is one of these SQLSTATEs (unique violation 23505, deadlock 40P01…). */
export function hasSqlState(error: unknown, ...states: string[]): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && states.includes(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
