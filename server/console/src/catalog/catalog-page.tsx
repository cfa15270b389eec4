import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { CatalogDeskDocument } from '../generated/graphql.js';
import { ErrorNote, Skeleton, Tabs } from '../ui/index.js';
import { AddOnList } from './add-on-list.js';
import { FeatureList } from './feature-list.js';
import { PlanList } from './plan-list.js';
import './pricing.css';

const TABS = [
  { value: 'plans', label: 'Plans' },
  { value: 'features', label: 'Features' },
  { value: 'add-ons', label: 'Add-ons' },
];

/**
 * The catalog as pricing edits it: plans and their versions (status, price, accounts on each),
 * features, and add-ons with their grants. The tab is in the URL (`?tab=`).
 */
export default function CatalogPage() {
  useDocumentTitle('Catalog');
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((entry) => entry.value === params.get('tab'))?.value ?? 'plans';
  const catalog = useQuery(CatalogDeskDocument);
  const data = catalog.data;
  return (
    <div className="page pricing">
      <h1>Catalog</h1>
      <ErrorNote error={catalog.error} title="Could not load the catalog" />
      <Tabs
        label="Catalog"
        items={TABS.map((entry) => ({
          ...entry,
          count: data ? { plans: data.plans.length, features: data.features.length, 'add-ons': data.addOns.length }[entry.value] : null,
        }))}
        value={tab}
        onValueChange={(value) => setParams(value === 'plans' ? {} : { tab: value }, { replace: true })}
      >
        {!data ? (
          catalog.error ? null : <Skeleton lines={5} label="Loading the catalog" />
        ) : tab === 'features' ? (
          <FeatureList features={data.features} />
        ) : tab === 'add-ons' ? (
          <AddOnList addOns={data.addOns} features={data.features} />
        ) : (
          <PlanList plans={data.plans} />
        )}
      </Tabs>
    </div>
  );
}
