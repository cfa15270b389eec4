import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { ShadowDeskDocument } from '../generated/graphql.js';
import { Badge, Chart, Empty, ErrorNote, Fact, formatQuantity, Skeleton, TimeText } from '../ui/index.js';
import { dailyCounts, dayStarts, rateWords } from './shadow-days.js';
import '../catalog/pricing.css';

/**
 * Shadow mode: how often Tollgate agreed with the legacy check, in total and per feature, day by
 * day over the last week, with each feature's newest disagreements linking to the account.
 * `?feature=` narrows it to one feature.
 */
export default function ShadowPage() {
  useDocumentTitle('Shadow mode');
  const [params, setParams] = useSearchParams();
  const feature = params.get('feature') || null;
  const days = useMemo(() => dayStarts(), []);
  const [d0, d1, d2, d3, d4, d5, d6] = days;
  const report = useQuery(ShadowDeskDocument, { variables: { feature, d0, d1, d2, d3, d4, d5, d6 }, fetchPolicy: 'cache-and-network' });
  const data = report.data;
  const daily = useMemo(() => (data ? dailyCounts(data, days) : null), [data, days]);
  return (
    <div className="page pricing">
      <h1>Shadow mode</h1>
      <p className="tg-muted">
        While the product still decides with its legacy check, it asks Tollgate too (compareEntitlement) and Tollgate records whether they agreed. Switch
        a feature over when its disagreements are understood.
      </p>
      <ErrorNote error={report.error} title="Could not load the shadow report" />
      {!data || !daily ? (
        report.error ? null : <Skeleton lines={6} label="Loading the shadow report" />
      ) : data.total.compared === 0 ? (
        <Empty title="Nothing compared yet">Comparisons appear here once the product calls compareEntitlement (the SDK's shadow helper does).</Empty>
      ) : (
        <>
          <section className="card" aria-labelledby="total-title">
            <div className="card__head">
              <h2 id="total-title">{feature ? <span className="mono">{feature}</span> : 'All features'}</h2>
              {feature ? (
                <Link to="?" onClick={() => setParams({}, { replace: true })}>
                  Show all features
                </Link>
              ) : null}
            </div>
            <dl className="facts">
              <Fact term="Agreement">{rateWords(data.total.agreed, data.total.compared)}</Fact>
              <Fact term="Compared">{formatQuantity(data.total.compared)}</Fact>
              <Fact term="On access">{formatQuantity(data.total.accessDisagreements)} disagreed</Fact>
              <Fact term="On the limit only">{formatQuantity(data.total.limitDisagreements)} disagreed</Fact>
            </dl>
            <Chart
              label="Comparisons per day"
              days={days}
              series={[
                { label: 'Agreed', values: daily.get('')!.map((day) => day.agreed), colorVar: '--ok' },
                { label: 'Disagreed', values: daily.get('')!.map((day) => day.compared - day.agreed), colorVar: '--bad' },
              ]}
            />
          </section>
          <section className="card" aria-labelledby="rates-title">
            <h2 id="rates-title">Agreement by feature and day</h2>
            <div className="tg-table-scroll" role="region" aria-label="Agreement by feature and day" tabIndex={0}>
              <table className="tg-table row-heads shadow-rates">
                <caption className="visually-hidden">Agreement rate by feature and UTC day</caption>
                <thead>
                  <tr>
                    <th scope="col">Feature</th>
                    <th scope="col">All time</th>
                    {days.map((day) => (
                      <th scope="col" key={day}>
                        {new Date(day).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.total.byFeature.map((entry) => (
                    <tr key={entry.feature}>
                      <th scope="row">
                        <Link to={`?feature=${encodeURIComponent(entry.feature)}`} className="mono">
                          {entry.feature}
                        </Link>
                      </th>
                      <td className={entry.disagreed ? 'strong' : undefined}>{rateWords(entry.agreed, entry.compared)}</td>
                      {daily.get(entry.feature)!.map((day) => (
                        <td key={day.day} title={`${day.agreed} of ${day.compared} agreed`}>
                          {rateWords(day.agreed, day.compared)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {data.total.byFeature
            .filter((entry) => entry.samples.length)
            .map((entry) => (
              <section key={entry.feature} className="card" aria-labelledby={`samples-${entry.feature}`}>
                <h2 id={`samples-${entry.feature}`}>
                  Disagreements on <span className="mono">{entry.feature}</span>{' '}
                  <span className="tg-muted">
                    ({formatQuantity(entry.accessDisagreements)} on access, {formatQuantity(entry.limitDisagreements)} on the limit)
                  </span>
                </h2>
                <div className="tg-table-scroll" role="region" aria-label={`Newest disagreements on ${entry.feature}`} tabIndex={0}>
                  <table className="tg-table">
                    <caption className="visually-hidden">Newest disagreements on {entry.feature}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Account</th>
                        <th scope="col">On</th>
                        <th scope="col">Tollgate</th>
                        <th scope="col">Legacy</th>
                        <th scope="col" className="narrow-hidden">
                          When
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {entry.samples.map((sample, index) => (
                        <tr key={`${sample.accountId}-${sample.comparedAt}-${index}`}>
                          <td>
                            <Link to={`/accounts/${encodeURIComponent(sample.accountId)}/access?feature=${encodeURIComponent(sample.feature)}`} className="mono">
                              {sample.accountId}
                            </Link>
                          </td>
                          <td>
                            <Badge tone={sample.disagreement === 'ACCESS' ? 'bad' : 'warn'}>{sample.disagreement === 'ACCESS' ? 'Access' : 'Limit'}</Badge>
                          </td>
                          <td>
                            {sample.allowed ? 'allowed' : 'refused'} <span className="tg-muted">({sample.reason.toLowerCase().replace(/_/g, ' ')})</span>
                            {sample.limit !== null ? <>, limit {formatQuantity(sample.limit)}</> : null}
                          </td>
                          <td>
                            {sample.legacyAllowed ? 'allowed' : 'refused'}
                            {sample.legacyLimit !== null ? <>, limit {formatQuantity(sample.legacyLimit)}</> : null}
                          </td>
                          <td className="narrow-hidden">
                            <TimeText iso={sample.comparedAt} mode="relative" />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ))}
        </>
      )}
    </div>
  );
}
