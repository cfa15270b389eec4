// Builds the GraphQL IDE (GraphiQL, this folder) into graphiql/dist with Vite, after type-checking
// it; `npm run build`, `npm start` and `npm test` run it. It skips both when dist/ was built from
// exactly these sources and dependencies (a hash of them is kept in dist/), so a start or test run
// after the first pays nothing; a fresh clone, or any change here or in package-lock.json, builds.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const dist = join(here, 'dist');
const stamp = join(dist, '.source-hash');

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const hash = createHash('sha256');
for (const path of [join(here, 'index.html'), join(here, 'vite.config.ts'), join(here, 'tsconfig.json'), join(here, 'build.mjs'), ...files(join(here, 'src')), join(root, 'package-lock.json')]) {
  hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
}
const sourceHash = hash.digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash && existsSync(join(dist, 'index.html'))) {
  process.exit(0);
}

const started = performance.now();
// Vite does not type-check; tsc does, with this folder's own tsconfig (browser, JSX, bundler resolution).
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  console.error('The GraphQL IDE (server/graphiql) does not type-check: see the errors above.');
  process.exit(1);
}
// React's production build, whatever NODE_ENV the caller has.
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
await build({ configFile: join(here, 'vite.config.ts'), mode: 'production' });
// Gzipped copies beside the files, which the server sends to browsers that accept them (@fastify/static's preCompressed).
for (const path of files(join(dist, 'assets'))) {
  if (/\.(js|css|ttf)$/.test(path)) writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
}
writeFileSync(stamp, sourceHash);
console.log(`Built the GraphQL IDE into ${relative(root, dist)} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
