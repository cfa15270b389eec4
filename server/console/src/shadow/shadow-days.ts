import type { ShadowCountsFragment, ShadowDeskQuery } from '../generated/graphql.js';

/** Days the report shows, today last. */
export const DAYS = 7;

/** The starts of the last {@link DAYS} UTC days, oldest first, as the query's d0…d6. */
export function dayStarts(now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: DAYS }, (_, index) => new Date(today - (DAYS - 1 - index) * 86_400_000).toISOString());
}

/** One day of one feature: compared and agreed. */
export interface DayCount {
  day: string;
  compared: number;
  agreed: number;
}

/**
 * Per feature (and "" for all), the comparisons of each day: the server counts since an instant,
 * so a day is the report since its start minus the report since the next day's.
 */
export function dailyCounts(data: ShadowDeskQuery, days: string[]): Map<string, DayCount[]> {
  const reports: ShadowCountsFragment[] = [data.d0, data.d1, data.d2, data.d3, data.d4, data.d5, data.d6];
  const pick = (report: ShadowCountsFragment | undefined, feature: string) => {
    if (!report) return { compared: 0, agreed: 0 };
    if (!feature) return { compared: report.compared, agreed: report.agreed };
    const entry = report.byFeature.find((item) => item.feature === feature);
    return { compared: entry?.compared ?? 0, agreed: entry?.agreed ?? 0 };
  };
  const features = ['', ...data.total.byFeature.map((entry) => entry.feature)];
  return new Map(
    features.map((feature) => [
      feature,
      days.map((day, index) => {
        const since = pick(reports[index], feature);
        const next = pick(reports[index + 1], feature);
        return { day, compared: since.compared - next.compared, agreed: since.agreed - next.agreed };
      }),
    ]),
  );
}

/** "97.5%", or "—" when nothing was compared. */
export function rateWords(agreed: number, compared: number): string {
  if (!compared) return '—';
  const rate = (agreed / compared) * 100;
  return `${rate === 100 || rate === 0 ? rate.toFixed(0) : rate.toFixed(1)}%`;
}
