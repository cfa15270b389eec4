// npm run bench, part 3: the size a React app pays for @tollgate/sdk/react, minified and gzipped,
// without its peers (react, @apollo/client, graphql and rxjs are already in such an app).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const result = await build({
  entryPoints: ['client-sdk/dist/react/index.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  write: false,
  platform: 'browser',
  external: ['react', 'react/*', 'react-dom', 'react-dom/*', '@apollo/client', '@apollo/client/*', 'graphql', 'rxjs', 'graphql-ws'],
  logLevel: 'silent',
});
const code = result.outputFiles[0].contents;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`\n@tollgate/sdk/react without its peers: ${kb(code.length)} minified, ${kb(gzipSync(code).length)} gzipped (aim: <= 10 kB)`);
console.log(`first line kept: ${new TextDecoder().decode(code.slice(0, 14))}\n`);
