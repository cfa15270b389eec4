// npm run bench, part 3: the size a React app pays for @tollgate/sdk/react, minified and gzipped,
// without its peers (react, @apollo/client, graphql, rxjs and graphql-ws are the app's own).
// Bundled with code splitting, as an app's bundler does: first paint pays for the entry and what
// it imports statically; the live-updates code is imported when the provider opens its socket.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const result = await build({
  entryPoints: ['client-sdk/dist/react/index.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  write: false,
  outdir: 'out',
  metafile: true,
  platform: 'browser',
  external: ['react', 'react/*', 'react-dom', 'react-dom/*', '@apollo/client', '@apollo/client/*', 'graphql', 'rxjs', 'graphql-ws'],
  logLevel: 'silent',
});
const files = new Map(result.outputFiles.map((file) => [file.path.slice(file.path.lastIndexOf('/out/') + 1), file.contents]));
const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint);
// First paint: the entry and every chunk it imports statically, transitively.
const firstPaint = new Set();
const visit = (path) => {
  if (firstPaint.has(path)) return;
  firstPaint.add(path);
  for (const imported of outputs[path].imports) if (imported.kind === 'import-statement' && outputs[imported.path]) visit(imported.path);
};
visit(entry);
const concat = (paths) => Buffer.concat(paths.map((path) => Buffer.from(files.get(path))));
const eager = concat([...firstPaint]);
const lazy = concat(Object.keys(outputs).filter((path) => !firstPaint.has(path) && path.endsWith('.js')));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`\n@tollgate/sdk/react without its peers: ${kb(eager.length)} minified, ${kb(gzipSync(eager).length)} gzipped at first paint (aim: <= 10 kB)`);
console.log(`live updates, loaded with the socket: ${kb(lazy.length)} minified, ${kb(gzipSync(lazy).length)} gzipped`);
console.log(`first line kept: ${new TextDecoder().decode(files.get(entry).slice(0, 14))}\n`);
