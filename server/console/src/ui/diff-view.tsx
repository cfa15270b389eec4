/** One difference between two JSON values, at a dotted path. */
export interface JsonChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every leaf that differs between `before` and `after`, in path order; arrays compare as values. */
export function jsonChanges(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => jsonChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined || before === null) {
    if (isObject(after)) return Object.keys(after).sort().flatMap((key) => jsonChanges(undefined, after[key], path ? `${path}.${key}` : key));
    return after === undefined || after === null ? [] : [{ path, kind: 'added', after }];
  }
  if (after === undefined || after === null) {
    if (isObject(before)) return Object.keys(before).sort().flatMap((key) => jsonChanges(before[key], undefined, path ? `${path}.${key}` : key));
    return [{ path, kind: 'removed', before }];
  }
  return [{ path, kind: 'changed', before, after }];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A JSON leaf as a person reads it: dates in their zone, lists joined, objects compact. */
function show(value: unknown): string {
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? new Date(value).toLocaleString() : value;
  if (Array.isArray(value)) return value.length ? value.map((item) => (isObject(item) ? JSON.stringify(item) : show(item))).join(', ') : '(none)';
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return JSON.stringify(value);
}

/**
 * A readable before/after of an audited change: one row per changed field, the old value struck
 * through and the new one beside it. Unchanged fields are left out.
 */
export function DiffView({ before, after, label }: { before: unknown; after: unknown; label: string }) {
  const changes = jsonChanges(before, after);
  if (!changes.length) return <p className="tg-muted">No field changed.</p>;
  return (
    <dl className="tg-diff" aria-label={label}>
      {changes.map((change) => (
        <div className={`tg-diff__row tg-diff__row--${change.kind}`} key={change.path || '(value)'}>
          <dt className="mono">{change.path || '(value)'}</dt>
          <dd>
            {change.kind !== 'added' ? (
              <del>
                <span className="visually-hidden">was </span>
                {show(change.before)}
              </del>
            ) : null}
            {change.kind === 'changed' ? <span aria-hidden="true"> → </span> : null}
            {change.kind !== 'removed' ? (
              <ins>
                <span className="visually-hidden">now </span>
                {show(change.after)}
              </ins>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
