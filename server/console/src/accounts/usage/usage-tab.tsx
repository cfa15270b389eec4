import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { AccountAccessDocument, AccountUsageHistoryDocument, type AccountDecisionFragment, type AccountPageQuery } from '../../generated/graphql.js';
import { Chart, Empty, ErrorNote, formatQuantity, Skeleton, TimeText } from '../../ui/index.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

/** A meter: used against the limit, with the warning threshold and an over-limit state. */
function Meter({ decision }: { decision: AccountDecisionFragment }) {
  const { used, limit } = decision;
  const ratio = limit === null ? 0 : limit === 0 ? 1 : Math.min(used / limit, 1);
  const tone = limit !== null && used >= limit ? 'bad' : decision.softLimitReached ? 'warn' : 'ok';
  const label = limit === null ? `${formatQuantity(used)} used, no limit` : `${formatQuantity(used)} of ${formatQuantity(limit)} used`;
  return (
    <div className="meter">
      <div
        className={`meter__bar meter__bar--${tone}`}
        role="meter"
        aria-label={`${decision.featureName}: ${label}`}
        aria-valuemin={0}
        aria-valuemax={limit ?? Math.max(used, 1)}
        aria-valuenow={used}
        aria-valuetext={label}
      >
        <div className="meter__fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <div className="meter__text">
        <span>{label}</span>
        {decision.resetsAt ? (
          <span className="tg-muted">
            resets <TimeText iso={decision.resetsAt} mode="relative" />
          </span>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Each metered and quantity feature's meter, and the selected one's last 30 days as a daily chart
 * (`?feature=`), from the server's per-day aggregate of the usage ledger.
 */
export default function UsageTab({ account }: { account: PageAccount }) {
  const [params] = useSearchParams();
  const access = useQuery(AccountAccessDocument, { variables: { id: account.id } });
  const counted = useMemo(() => (access.data?.entitlements ?? []).filter((entry) => entry.kind !== 'SWITCH'), [access.data]);
  const selected = counted.find((entry) => entry.feature === params.get('feature')) ?? counted[0];
  const history = useQuery(AccountUsageHistoryDocument, {
    variables: { id: account.id, feature: selected?.feature ?? '', days: 30 },
    skip: !selected,
  });
  const chart = useMemo(() => {
    const days = history.data?.usageHistory.days;
    if (!days || !selected) return null;
    const series = [{ label: selected.kind === 'METERED' ? `${selected.unit ?? 'units'} counted` : 'added', values: days.map((day) => day.counted), colorVar: '--accent' }];
    if (selected.kind === 'QUANTITY') series.push({ label: 'released', values: days.map((day) => day.released), colorVar: '--warn' });
    return { days: days.map((day) => day.day), series };
  }, [history.data, selected]);

  if (!access.data) {
    if (access.error) return <ErrorNote error={access.error} title="Could not load usage" />;
    return <Skeleton lines={4} label="Loading usage" />;
  }
  if (!counted.length) return <Empty title="Nothing is metered">The catalog has no metered or quantity features; switches have no usage.</Empty>;
  return (
    <div className="usage-tab">
      <ul className="usage-list" aria-label="Meters">
        {counted.map((decision) => {
          const current = decision.feature === selected?.feature;
          return (
            <li key={decision.feature} className={`usage-card${current ? ' usage-card--selected' : ''}`}>
              <div className="usage-card__head">
                <Link to={`?feature=${encodeURIComponent(decision.feature)}`} aria-current={current ? 'true' : undefined}>
                  {decision.featureName}
                </Link>
                <span className="tg-muted">{decision.kind === 'METERED' ? 'metered' : 'quantity'}</span>
              </div>
              <Meter decision={decision} />
            </li>
          );
        })}
      </ul>
      {selected ? (
        <section className="card" aria-labelledby="usage-chart-heading">
          <h2 id="usage-chart-heading">{selected.featureName}: the last 30 days</h2>
          <p className="tg-muted">Per UTC day, from the usage ledger (each counted request once).</p>
          <ErrorNote error={history.error} title="Could not load the usage history" />
          {chart ? <Chart label={`${selected.featureName} per day over the last 30 days`} days={chart.days} series={chart.series} /> : history.error ? null : <Skeleton lines={4} label="Loading the usage history" />}
        </section>
      ) : null}
    </div>
  );
}
