/**
 * A placeholder of the shape that will come, while it loads: no spinner, no flash of an empty
 * state. Screen readers hear `label` once (aria-busy on the region is the caller's).
 */
export function Skeleton({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <div className="tg-skeleton" role="status" aria-label={label}>
      {Array.from({ length: lines }, (_, index) => (
        <div key={index} className="tg-skeleton__line" style={{ width: `${92 - ((index * 17) % 40)}%` }} />
      ))}
    </div>
  );
}
