// Builds the console into the server's static files (server/dist/console), which the server serves at /console.
// Run by `npm run build`, `npm start` and `npm test` (root package.json): a fresh clone builds it once, and
// later runs skip the build while nothing it is made from has changed (a hash of its sources and the lockfile).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '..', 'dist', 'console');
const stampFile = join(outDir, '.build-stamp');

/** Every file the bundle is made from, in a stable order. */
function inputs() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(here, 'src'));
  walk(join(here, 'public'));
  files.push(join(here, 'index.html'), join(here, 'vite.config.ts'), join(here, '..', '..', 'package-lock.json'));
  return files;
}

const hash = createHash('sha256');
for (const file of inputs()) hash.update(relative(here, file)).update('\0').update(readFileSync(file)).update('\0');
const stamp = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('Console: up to date (server/dist/console).');
} else {
  // Vite bundles React's development build unless NODE_ENV says production.
  process.env.NODE_ENV = 'production';
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, stamp);
  console.log(`Console: built into server/dist/console in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
