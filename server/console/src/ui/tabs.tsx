import * as RadixTabs from '@radix-ui/react-tabs';
import type { ReactNode } from 'react';

/** One tab: its value (in the URL), its label and an optional count. */
export interface TabItem {
  value: string;
  label: string;
  count?: number | null;
}

/**
 * Tabs whose selection lives in the URL (the caller passes `value` from it and navigates in
 * `onValueChange`), on Radix's primitive: a tablist with arrow keys, Home and End.
 */
export function Tabs({ label, items, value, onValueChange, children }: { label: string; items: TabItem[]; value: string; onValueChange(value: string): void; children: ReactNode }) {
  return (
    <RadixTabs.Root value={value} onValueChange={onValueChange} activationMode="manual" className="tg-tabs">
      <RadixTabs.List aria-label={label} className="tg-tabs__list">
        {items.map((item) => (
          <RadixTabs.Trigger key={item.value} value={item.value} className="tg-tabs__trigger">
            {item.label}
            {item.count ? <span className="tg-tabs__count">{item.count}</span> : null}
          </RadixTabs.Trigger>
        ))}
      </RadixTabs.List>
      {/* A panel per tab (each trigger's aria-controls names one), only the selected one filled. */}
      {items.map((item) => (
        <RadixTabs.Content key={item.value} value={item.value} className="tg-tabs__panel" forceMount hidden={item.value !== value}>
          {item.value === value ? children : null}
        </RadixTabs.Content>
      ))}
    </RadixTabs.Root>
  );
}
