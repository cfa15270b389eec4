/** `:name`, but not the `::` of a cast. */
const PLACEHOLDER = /(?<![:\w]):([a-zA-Z][a-zA-Z0-9]*)/g;

/**
 * Turns SQL written with `:name` placeholders into the positional `?` form `em.execute` takes,
 * so a long single statement reads by name instead of by counting question marks. A name may
 * appear several times; a name without a value is a programming error and throws at once.
 *
 * @example
 * em.execute(...named('select used from usage_counter where account_id = :accountId', { accountId }));
 */
export function named(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const params: unknown[] = [];
  const positional = sql.replace(PLACEHOLDER, (_match, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`named SQL: no value for :${name}`);
    params.push(values[name]);
    return '?';
  });
  return [positional, params];
}
