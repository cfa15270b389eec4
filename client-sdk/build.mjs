// `npm run build -w client-sdk`, and `prepack` before `npm pack` / `npm publish`: compiles the SDK
// with tsc -b (dist/: ES modules, declarations and source maps that point into the shipped src/),
// then removes outputs whose source file no longer exists, so a package never ships stale modules.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-b', root], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const dist = join(root, 'dist');
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name === '.tsbuildinfo') continue;
  const output = join(entry.parentPath, entry.name);
  const stem = relative(dist, output).replace(/(\.d\.ts|\.js\.map|\.js)$/, '');
  if (!['.ts', '.tsx'].some((extension) => existsSync(join(root, 'src', stem + extension)))) {
    rmSync(output);
    console.log(`build: removed ${relative(root, output)}, whose source is gone`);
  }
}
