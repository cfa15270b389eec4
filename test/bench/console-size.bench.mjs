// npm run bench, the console: the JavaScript a first visit to /console loads, gzipped, against its
// ceiling of 200 kB (issue 22). Read from the build's manifest (server/dist/console/.vite/manifest.json):
// the entry chunk and every chunk it imports statically, transitively; pages, the usage chart and
// dialogs load later (dynamic imports) and are reported apart. Fails when the ceiling is passed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const CEILING = 200 * 1024;
const directory = 'server/dist/console';
const manifest = JSON.parse(readFileSync(join(directory, '.vite', 'manifest.json'), 'utf8'));
const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const initial = new Set();
const visit = (key) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
visit(entryKey);
const gzipped = (file) => gzipSync(readFileSync(join(directory, file)), { level: 9 }).length;
const sum = (keys, pick) => [...keys].reduce((total, key) => total + pick(manifest[key]), 0);
const initialJs = sum(initial, (chunk) => gzipped(chunk.file));
const initialCss = sum(initial, (chunk) => (chunk.css ?? []).reduce((total, file) => total + gzipped(file), 0));
const lazy = Object.keys(manifest).filter((key) => !initial.has(key) && manifest[key].file.endsWith('.js'));
const lazyJs = lazy.reduce((total, key) => total + gzipped(manifest[key].file), 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`\nconsole, first visit: ${kb(initialJs)} JavaScript gzipped (${initial.size} chunks), ${(initialJs / CEILING).toFixed(2)} of the 200 kB ceiling; CSS ${kb(initialCss)} gzipped`);
console.log(`console, loaded on demand: ${kb(lazyJs)} gzipped in ${lazy.length} chunks (account tabs, approvals, the usage chart, the pricing desk, billing, audit, settings)\n`);
if (initialJs > CEILING) {
  console.error(`The console's first visit loads ${kb(initialJs)} of JavaScript, over the 200 kB ceiling: split a page or a library out with import().`);
  process.exit(1);
}
