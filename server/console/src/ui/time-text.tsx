import { formatDateTime, formatRelative } from './format.js';

/** An instant as a person reads it ("in 14 days"), with the date and the exact UTC time in a <time> element. */
export function TimeText({ iso, mode = 'both' }: { iso: string | null | undefined; mode?: 'both' | 'absolute' | 'relative' }) {
  if (!iso) return <span className="tg-muted">—</span>;
  const absolute = formatDateTime(iso);
  const rel = formatRelative(iso);
  return (
    <time dateTime={iso} title={new Date(iso).toISOString()}>
      {mode === 'relative' ? rel : mode === 'absolute' ? absolute : `${absolute} (${rel})`}
    </time>
  );
}
