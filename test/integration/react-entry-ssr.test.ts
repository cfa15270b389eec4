import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('the React entry in server rendering', () => {
  it('imports in Node without a window, and keeps its "use client" directive', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const entry = await import('../../client-sdk/dist/react/index.js');
    expect(Object.keys(entry)).toEqual(
      expect.arrayContaining(['TollgateProvider', 'useEntitlement', 'Paywall', 'UpgradePrompt', 'UsageMeter', 'Feature', 'createPaywallLink']),
    );
    expect((await readFile('client-sdk/dist/react/index.js', 'utf8')).startsWith("'use client';")).toBe(true);
  });
});
