/**
 * A timestamp as a raw query returns it: the ORM leaves `timestamptz` columns as PostgreSQL's
 * text ('2026-03-10 12:00:00.123+00'), which `Date` does not parse everywhere. ISO 8601 it is.
 */
export function timestamp(value: string | Date): Date;
export function timestamp(value: string | Date | null): Date | null;
export function timestamp(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  const date = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  if (Number.isNaN(date.getTime())) throw new Error(`not a PostgreSQL timestamp: "${value}"`);
  return date;
}
