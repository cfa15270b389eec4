import { useState } from 'react';

type ThemeChoice = 'system' | 'light' | 'dark';

/** Light, dark, or the system's: kept in localStorage and applied before first paint by public/theme-boot.js. */
export function ThemeSelect() {
  const [choice, setChoice] = useState<ThemeChoice>(() => (document.documentElement.dataset.theme as ThemeChoice | undefined) ?? 'system');
  const change = (next: ThemeChoice) => {
    setChoice(next);
    if (next === 'system') {
      delete document.documentElement.dataset.theme;
      localStorage.removeItem('tollgate.theme');
    } else {
      document.documentElement.dataset.theme = next;
      localStorage.setItem('tollgate.theme', next);
    }
  };
  return (
    <label className="shell__theme">
      <span className="visually-hidden">Theme</span>
      <select className="tg-select tg-select--compact" value={choice} onChange={(event) => change(event.target.value as ThemeChoice)}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
