import { formatQuantity } from '../ui/index.js';
import type { DeskVersion } from './catalog-types.js';

type Entitlement = DeskVersion['entitlements'][number];

/** An entitlement in a few words: "enabled, 50,000 per month, soft limit 80%, block". */
function entitlementWords(entitlement: Entitlement | undefined): string {
  if (!entitlement) return '—';
  if (!entitlement.enabled) return 'disabled';
  const period = entitlement.period === 'NEVER' ? '' : ` per ${entitlement.period === 'BILLING_PERIOD' ? 'billing period' : entitlement.period.toLowerCase()}`;
  return `enabled, ${formatQuantity(entitlement.limit)}${period}`;
}

interface DiffRow {
  what: string;
  before: string;
  after: string;
}

/** Every term of two versions that differs, as rows of what, before and after. */
export function versionDiffRows(before: DeskVersion, after: DeskVersion): DiffRow[] {
  const rows: DiffRow[] = [];
  const term = (what: string, old: string, now: string) => {
    if (old !== now) rows.push({ what, before: old, after: now });
  };
  term('Price', `${before.price.formatted} / ${before.interval.toLowerCase()}`, `${after.price.formatted} / ${after.interval.toLowerCase()}`);
  term('Trial days', String(before.trialDays), String(after.trialDays));
  term('Trial grace days', String(before.trialGraceDays), String(after.trialGraceDays));
  term('Past-due grace days', before.pastDueGraceDays === null ? 'server default' : String(before.pastDueGraceDays), after.pastDueGraceDays === null ? 'server default' : String(after.pastDueGraceDays));
  term('Stripe prices', before.billingPriceIds.join(', ') || '—', after.billingPriceIds.join(', ') || '—');
  const features = [...new Set([...before.entitlements, ...after.entitlements].map((entitlement) => entitlement.feature))].sort();
  for (const feature of features) {
    const old = before.entitlements.find((entitlement) => entitlement.feature === feature);
    const now = after.entitlements.find((entitlement) => entitlement.feature === feature);
    term(feature, entitlementWords(old), entitlementWords(now));
    if (old && now && old.enabled && now.enabled) {
      term(`${feature}: soft limit`, `${old.softLimitPercent}%`, `${now.softLimitPercent}%`);
      term(`${feature}: overage`, old.overage.toLowerCase(), now.overage.toLowerCase());
    }
  }
  return rows;
}

/**
 * A draft beside the version it replaces: one row per term that differs, the old value on the
 * left, the new on the right (a feature added shows "—" on the left). Unchanged terms are left out.
 */
export function VersionDiff({ before, after }: { before: DeskVersion; after: DeskVersion }) {
  const rows = versionDiffRows(before, after);
  const caption = `Changes from v${before.version} to v${after.version}`;
  if (!rows.length) return <p className="tg-muted">v{after.version} has the same terms as v{before.version}.</p>;
  return (
    <div className="tg-table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="tg-table row-heads version-diff">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col">v{before.version}</th>
            <th scope="col">v{after.version}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.what} className={row.before === '—' ? 'version-diff__row--added' : row.after === '—' ? 'version-diff__row--removed' : undefined}>
              <th scope="row" className="mono">
                {row.what}
              </th>
              <td>
                <del>
                  <span className="visually-hidden">was </span>
                  {row.before}
                </del>
              </td>
              <td>
                <ins>
                  <span className="visually-hidden">now </span>
                  {row.after}
                </ins>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
