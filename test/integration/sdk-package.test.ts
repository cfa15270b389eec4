import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeature } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * `npm pack -w client-sdk` as a user gets it: packed (prepack builds), then installed from the
 * tarball into two new apps in a temp dir with their peers from the registry, at whatever versions
 * npm picks today: a React app (`npm install <tarball> react react-dom @apollo/client graphql rxjs`,
 * without the optional graphql-ws) and a backend (`npm install <tarball> graphql graphql-ws`).
 * Each is type-checked under strict with files that use every export, and run against a real
 * Tollgate.
 */
const run = promisify(execFile);
const repo = process.cwd();
const consumerFixtures = resolve(repo, 'test/fixtures/sdk-consumer');
let work: string;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] };

/** An app in the temp dir that installed the tarball. */
interface App {
  dir: string;
  /** What npm printed on stderr while installing. */
  installLog: string;
}
let reactApp: App;
let backendApp: App;
const installed = (app: App) => join(app.dir, 'node_modules/@tollgate/sdk');
const versionIn = async (app: App, name: string) => JSON.parse(await readFile(join(app.dir, 'node_modules', name, 'package.json'), 'utf8')).version as string;

/**
 * The environment for a nested npm: without the npm_* variables of the npm that started the
 * tests (npm_config_local_prefix would point the install at this repository), keeping the cache.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cafile', 'npm_config_registry']);
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || keep.has(key.toLowerCase())));
}

const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env: npmEnv(), maxBuffer: 32 * 1024 * 1024 });

/** Creates an app, installs the tarball and `packages` into it, and copies the consumer files in. */
async function installApp(name: string, packages: string[], files: string[]): Promise<App> {
  const dir = join(work, name);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `tollgate-sdk-${name}`, private: true, type: 'module' }, null, 2));
  const { stderr } = await npm(['install', join(work, packed.filename), ...packages, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'], dir);
  for (const file of files) await copyFile(join(consumerFixtures, file), join(dir, 'src', file));
  return { dir, installLog: stderr };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-sdk-package-'));
  const pack = await npm(['pack', '-w', 'client-sdk', '--pack-destination', work, '--json'], repo);
  packed = JSON.parse(pack.stdout)[0];
  // The @types packages serve the type-check only, at the versions this repository uses.
  reactApp = await installApp(
    'react-app',
    ['react', 'react-dom', '@apollo/client', 'graphql', 'rxjs', '@types/react@19.3.0', '@types/react-dom@19.3.0', '@types/node@24.19.2'],
    ['app.tsx', 'backend.ts', 'smoke.mjs'],
  );
  // The backend also has graphql-ws, the optional peer live decisions need; the React app does not.
  backendApp = await installApp('backend', ['graphql', 'graphql-ws', '@types/node@24.19.2'], ['backend.ts', 'smoke.mjs']);
}, budget(180_000));
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * Type-checks `files` of `app` under strict with the repository's TypeScript, and returns the
 * errors in the app's files and in the installed SDK's declarations (skipLibCheck is off for that;
 * errors inside other packages' declarations are theirs and left out).
 */
function typeCheck(app: App, files: string[], lib: string[]) {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2023,
    lib,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    jsx: ts.JsxEmit.ReactJSX,
    types: ['node'],
    noEmit: true,
    skipLibCheck: false,
  };
  const rootNames = files.map((file) => join(app.dir, 'src', file));
  const program = ts.createProgram({ rootNames, options });
  const ours = (file: ts.SourceFile | undefined) => !file || file.fileName.startsWith(join(app.dir, 'src')) || file.fileName.includes('/node_modules/@tollgate/sdk/');
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => ours(diagnostic.file))
    .map((diagnostic) => `${diagnostic.file ? relative(app.dir, diagnostic.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  const sawDeclarations = program.getSourceFiles().some((file) => file.fileName.endsWith('node_modules/@tollgate/sdk/dist/server/index.d.ts'));
  return { program, options, rootNames, errors, sawDeclarations };
}

describe('the @tollgate/sdk tarball', () => {
  it('holds the built entries, their declarations and maps, the sources, README.md and LICENSE, and no build state', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json', 'README.md', 'LICENSE', 'styles.css',
        'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'src/index.ts',
        'dist/server/index.js', 'dist/server/index.d.ts', 'src/server/index.ts',
        'dist/react/index.js', 'dist/react/index.d.ts', 'src/react/index.ts',
      ]),
    );
    expect(paths.filter((path) => path.includes('tsbuildinfo'))).toEqual([]);
    expect(paths.filter((path) => !/^(dist|src)\/|^(package\.json|README\.md|LICENSE|styles\.css)$/.test(path))).toEqual([]);
    console.log(`${packed.filename}: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked`);
  });

  it('declares its license, the Node it needs, a type-only dependency and peers that npm installs without a conflict', async () => {
    const manifest = JSON.parse(await readFile(join(installed(reactApp), 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      license: 'MIT',
      engines: { node: '>=22' },
      dependencies: { '@graphql-typed-document-node/core': '^3.2.0' },
      peerDependencies: { graphql: '^16.0.0 || ^17.0.0', '@apollo/client': '^4.0.0', react: '^19.0.0', 'graphql-ws': '^6.0.0' },
      peerDependenciesMeta: { 'graphql-ws': { optional: true } },
    });
    for (const app of [reactApp, backendApp]) {
      expect(app.installLog, app.dir).not.toMatch(/ERESOLVE|peer dep|EBADENGINE/i);
      console.log(`${relative(work, app.dir)}: npm chose graphql ${await versionIn(app, 'graphql')}`);
    }
    console.log(`react-app: @apollo/client ${await versionIn(reactApp, '@apollo/client')}, react ${await versionIn(reactApp, 'react')}, rxjs ${await versionIn(reactApp, 'rxjs')}`);
    console.log(`backend: graphql-ws ${await versionIn(backendApp, 'graphql-ws')}`);
  });

  it('ships source maps whose sources are all in the package', async () => {
    const files = await filesUnder(installed(reactApp));
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(await readFile(join(installed(reactApp), map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const path = relative(installed(reactApp), resolve(installed(reactApp), dirname(map), source));
        if (!files.includes(path)) missing.push(`${map} -> ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps "use client" as the first line of the React entry', async () => {
    expect((await readFile(join(installed(reactApp), 'dist/react/index.js'), 'utf8')).startsWith("'use client';")).toBe(true);
  });

  it('declares every package its declarations import', async () => {
    const manifest = JSON.parse(await readFile(join(installed(reactApp), 'package.json'), 'utf8'));
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const undeclared = new Set<string>();
    for (const file of (await filesUnder(installed(reactApp))).filter((path) => path.endsWith('.d.ts'))) {
      const text = await readFile(join(installed(reactApp), file), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
        if (specifier!.startsWith('.') || specifier!.startsWith('node:') || builtinModules.includes(specifier!)) continue;
        const name = specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!;
        if (!declared.has(name)) undeclared.add(`${name} (${file})`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it('type-checks a React app that uses every export of the core, /react and /server under strict, declarations included', () => {
    const { program, options, rootNames, errors, sawDeclarations } = typeCheck(reactApp, ['app.tsx', 'backend.ts'], ['lib.es2024.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts']);
    expect(errors).toEqual([]);
    expect(sawDeclarations).toBe(true);

    // Every export, types included, as the compiler sees the entries, against what the app imports.
    const checker = program.getTypeChecker();
    const imported = new Map<string, Set<string>>();
    for (const root of rootNames) {
      for (const statement of program.getSourceFile(root)!.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const names = imported.get(statement.moduleSpecifier.text) ?? new Set();
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add((element.propertyName ?? element.name).text);
        imported.set(statement.moduleSpecifier.text, names);
      }
    }
    for (const entry of ['@tollgate/sdk', '@tollgate/sdk/react', '@tollgate/sdk/server']) {
      const resolved = ts.resolveModuleName(entry, rootNames[0]!, options, ts.sys).resolvedModule!.resolvedFileName;
      const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(resolved)!)!).map((symbol) => symbol.name);
      // /server re-exports the core; the app imports those from the core.
      const core = entry === '@tollgate/sdk/server' ? imported.get('@tollgate/sdk') : undefined;
      const unused = exported.filter((name) => !imported.get(entry)?.has(name) && !core?.has(name));
      expect(unused, `exports of ${entry} that test/fixtures/sdk-consumer does not use yet: add them there`).toEqual([]);
    }
  }, budget(60_000));

  it('type-checks a backend that uses every export of /server under strict, with graphql 17 and without DOM types', async () => {
    expect(await versionIn(backendApp, 'graphql')).toMatch(/^17\./);
    const { errors, sawDeclarations } = typeCheck(backendApp, ['backend.ts'], ['lib.es2024.d.ts']);
    expect(errors).toEqual([]);
    expect(sawDeclarations).toBe(true);
  }, budget(60_000));
});

describe('the installed @tollgate/sdk at run time', () => {
  let t: TestServer;
  let serverKey: string;
  beforeAll(async () => {
    t = await startTestServer();
    await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
    const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "packaged app", role: SERVER }) { secret } }`);
    serverKey = createApiKey.secret;
  });
  afterAll(() => t?.stop());

  /** Runs the smoke script inside `app` against the test server. */
  async function smoke(app: App, ...args: string[]) {
    const { stdout } = await run(process.execPath, [join(app.dir, 'src/smoke.mjs'), t.server.graphqlUrl, serverKey, ...args], { cwd: app.dir });
    return JSON.parse(stdout);
  }

  it('imports every entry in Node in the React app and refuses with the contract\'s GraphQLError of the app\'s graphql', async () => {
    const result = await smoke(reactApp, 'react');
    expect(result).toMatchObject({ allowed: false, refusal: { code: 'ENTITLEMENT_DENIED', isAppGraphQLError: true } });
    // graphql-ws is an optional peer this app did not install: live decisions say so, and checks go over HTTP.
    expect(result.live).toMatchObject({ status: 'unavailable', fromMemory: 0, allowed: [false, false] });
    expect(result.live.problems.join('\n')).toMatch(/needs the graphql-ws package \(npm install graphql-ws\)/);
    expect(result.exports.server).toEqual(expect.arrayContaining(['createTollgate', 'consumeFeature', 'consumeFeatureHook', 'requireFeature', 'requireFeatureHook', ...result.exports.core]));
    expect(result.exports.react).toEqual(expect.arrayContaining(['TollgateProvider', 'useEntitlement', 'Paywall']));
  });

  it('talks to a real Tollgate from a backend on graphql 17, without React or Apollo installed', async () => {
    const result = await smoke(backendApp);
    expect(result).toMatchObject({
      graphql: expect.stringMatching(/^17\./), allowed: false, refusal: { code: 'ENTITLEMENT_DENIED', isAppGraphQLError: true },
      shadow: { queued: 0, sent: 1, failed: 0, dropped: 0 },
      // With graphql-ws (and Node's global WebSocket, no ws), the second check came from memory.
      live: { status: 'on', fromMemory: 1, allowed: [false, false], problems: [] },
    });
  });
});
