import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildSchema, parse, specifiedRules, validate, LoneAnonymousOperationRule } from 'graphql';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnHostApi, spawnServer, type ServerProcess } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { budget } from '../support/time-budget.js';
import { commandsOf, compareAnswer, documentationFiles, snippetsOfFile, type Command, type Snippet } from '../support/docs-snippets.js';

/**
 * The docs cannot drift: every fenced block of README.md and docs/*.md is run, type-checked,
 * validated or explicitly marked as shown only (the convention: test/support/docs-snippets.ts and
 * docs/development.md, "Tested docs"). Shell blocks run in order, one bash per file, against a
 * real server started here on a fresh database with the demo data, as `npm start` seeds it, and
 * the printed keys in $ADMIN, $SERVER, $TOKEN and $OWNER_LINK (and the example host API, for a page
 * that calls it on port 4001); every answer shown under a command must be what the command printed. Every failure names the file, the line and why.
 */
const files = documentationFiles();
const snippets = files.flatMap((file) => snippetsOfFile(file));
const where = (snippet: Snippet) => `${snippet.file}:${snippet.line}`;

describe('the docs\' snippets', () => {
  it('each say what they are (an info string the runner knows)', () => {
    const unknown = snippets.filter((snippet) => snippet.kind === null);
    expect(unknown.map((snippet) => `${where(snippet)}: \`\`\`${snippet.info} is not one of sh, sh no-run, ts, tsx, ts fragment, tsx fragment, graphql, json, text, yaml, mermaid`)).toEqual([]);
  });

  it('in GraphQL are valid against schema.graphql', () => {
    const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
    // A block may list several operations side by side, anonymous ones included.
    const rules = specifiedRules.filter((rule) => rule !== LoneAnonymousOperationRule);
    const problems = snippets.filter((snippet) => snippet.kind === 'graphql').flatMap((snippet) => {
      try {
        return validate(schema, parse(snippet.code), rules).map((error) => `${where(snippet)}: ${error.message}`);
      } catch (error) {
        return [`${where(snippet)}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });

  it('in JSON parse', () => {
    const problems = snippets.filter((snippet) => snippet.kind === 'json').flatMap((snippet) => {
      try {
        JSON.parse(snippet.code);
        return [];
      } catch (error) {
        return [`${where(snippet)}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });

  it('in TypeScript type-check under strict against the built SDK, and fragments parse', () => {
    const dir = resolve('test-results/docs-snippets');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const origin = new Map<string, Snippet>();
    const syntax: string[] = [];
    for (const snippet of snippets) {
      if (snippet.kind !== 'typecheck' && snippet.kind !== 'syntax') continue;
      const extension = snippet.info.startsWith('tsx') ? 'tsx' : 'ts';
      const name = `${snippet.file.replace(/[/.]/g, '_')}_${snippet.line}.${extension}`;
      if (snippet.kind === 'syntax') {
        const result = ts.transpileModule(snippet.code, { reportDiagnostics: true, fileName: name, compilerOptions: { jsx: ts.JsxEmit.ReactJSX } });
        for (const diagnostic of result.diagnostics ?? []) syntax.push(`${where(snippet)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
        continue;
      }
      // Each snippet is a module of its own, so two snippets may both declare `tollgate`.
      writeFileSync(join(dir, name), `${snippet.code}\nexport {};\n`);
      origin.set(name, snippet);
    }
    expect(syntax).toEqual([]);
    // What a bundler's types (vite/client, Next.js) declare for `import './styles.css'`.
    writeFileSync(join(dir, 'styles.d.ts'), "declare module '*.css';\n");
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, target: 'ES2023', lib: ['ES2024', 'DOM', 'DOM.Iterable'], module: 'NodeNext', moduleResolution: 'NodeNext',
        jsx: 'react-jsx', types: ['node', 'react', 'react-dom'], noEmit: true, skipLibCheck: true,
      },
      files: ['styles.d.ts', ...origin.keys()],
    }));
    const tsc = realpathSync(resolve('node_modules/typescript/bin/tsc'));
    const check = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    // tsc names the generated file and a line in it: point back at the Markdown.
    const problems = (check.stdout + check.stderr).split('\n').filter((line) => line.trim() !== '').map((line) => {
      const at = /^(?:.*\/)?([^/(]+\.tsx?)\((\d+),(\d+)\): (.*)$/.exec(line);
      const snippet = at ? origin.get(at[1]!) : undefined;
      return snippet ? `${snippet.file}:${snippet.line + Number(at![2])}: ${at![4]}` : line;
    });
    expect(problems).toEqual([]);
    expect(check.status).toBe(0);
  }, budget(120_000));

  it('link to files and headings that exist', () => {
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
    const anchorsOf = new Map<string, Set<string>>();
    const anchors = (file: string) => {
      if (!anchorsOf.has(file)) {
        const seen = new Map<string, number>();
        const set = new Set<string>();
        let fenced = false;
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          if (/^\s*```/.test(line)) fenced = !fenced;
          const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
          if (!heading) continue;
          const base = slug(heading[1]!);
          const count = seen.get(base) ?? 0;
          seen.set(base, count + 1);
          set.add(count === 0 ? base : `${base}-${count}`);
        }
        anchorsOf.set(file, set);
      }
      return anchorsOf.get(file)!;
    };
    const broken: string[] = [];
    for (const file of [...files, 'client-sdk/README.md']) {
      let fenced = false;
      readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
        if (/^\s*```/.test(line)) fenced = !fenced;
        if (fenced) return;
        for (const link of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const target = link[1]!;
          if (/^(https?|mailto):/.test(target)) continue;
          const [path, anchor] = target.split('#') as [string, string | undefined];
          const linked = path === '' ? file : join(dirname(file), path);
          if (!existsSync(linked)) broken.push(`${file}:${index + 1}: ${target}: no such file`);
          else if (anchor !== undefined && linked.endsWith('.md') && !anchors(linked).has(anchor)) broken.push(`${file}:${index + 1}: ${target}: no such heading`);
        }
      });
    }
    expect(broken).toEqual([]);
  });
});

describe('the README\'s start banner', () => {
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is what `npm start` prints on a new embedded database, line by line', async () => {
    const banner = snippets.find((snippet) => snippet.file === 'README.md' && snippet.kind === 'shown' && snippet.code.startsWith('Tollgate is running on'));
    expect(banner, 'README.md shows the start banner in a ```text block').toBeDefined();
    dataDir = await mkdtemp(join(tmpdir(), 'tollgate-docs-banner-'));
    // npm start's server: the embedded database in a data directory of its own.
    server = await spawnServer({ TOLLGATE_DATA_DIR: dataDir });
    const deadline = Date.now() + budget(60_000);
    while (!/^Try:\n(?:.*\n){2}/m.test(server.output()) && Date.now() < deadline) await new Promise((resolveTick) => setTimeout(resolveTick, 100));
    const port = new URL(server.graphqlUrl).port;
    const printed = server.output().replaceAll(dataDir, '/path/to/.tollgate/data').replaceAll(`127.0.0.1:${port}`, '127.0.0.1:4000');
    const lines = banner!.code.split('\n').filter((line) => line.trim() !== '');
    const mismatch = compareAnswer(lines, printed);
    expect(mismatch, `README.md:${banner!.line}: ${mismatch}\nnpm start printed:\n${printed}`).toBeNull();
  }, budget(120_000));
});

/** The files with shell blocks to run; each gets a server and a database of its own. */
const runnable = files.filter((file) => snippets.some((snippet) => snippet.file === file && snippet.kind === 'run'));

describe.each(runnable)('the shell blocks of %s', (file) => {
  let t: TestServer;
  let hostApi: ServerProcess | undefined;
  let demo: Record<string, string>;
  let workdir: string;
  const commands: Command[] = snippets.filter((snippet) => snippet.file === file && snippet.kind === 'run').flatMap(commandsOf);

  beforeAll(async () => {
    t = await startTestServer({ env: { TOLLGATE_DEMO_DATA: 'auto', NODE_ENV: 'development' } });
    const credentials = t.server.demo!;
    const token = await t.server.services.auth.createClientToken({ accountId: credentials.accountId, ttlSeconds: 3600 });
    demo = { ADMIN: credentials.adminKey, SERVER: credentials.serverKey, TOKEN: token.token, OWNER_LINK: credentials.ownerLink };
    // Commands that call the example host API (port 4001) get it, started with the demo's server key.
    if (commands.some((command) => /\b(?:localhost|127\.0\.0\.1):4001\b/.test(command.text))) {
      hostApi = await spawnHostApi({ TOLLGATE_URL: t.server.graphqlUrl, TOLLGATE_SERVER_KEY: credentials.serverKey });
    }
    workdir = await mkdtemp(join(tmpdir(), 'tollgate-docs-'));
  }, budget(120_000));

  afterAll(async () => {
    await hostApi?.stop();
    await t?.stop();
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });

  it('print the answers shown under them, run in order against a fresh `npm start`', async () => {
    const address = new URL(t.url).host;
    // Commands address the server as the docs do (localhost:4000); it listens on a free port here.
    // Every page uses the tour's `gql`, defined once in the README.
    const script = ['exec 2>&1', file === 'README.md' ? '' : gqlDefinition(), ...commands.flatMap((command, index) => [
      `printf '\\n\\037${index}\\037\\n'`,
      command.text,
      `printf '\\n\\036${index} %d\\036\\n' $?`,
    ])].join('\n');
    const addressed = script
      .replace(/\b(?:localhost|127\.0\.0\.1):4000\b/g, address)
      .replace(/\b(?:localhost|127\.0\.0\.1):4001\b/g, hostApi ? new URL(hostApi.graphqlUrl).host : '$&');
    const output = await runBash(addressed, workdir, demo, budget(60_000 + 5_000 * commands.length));

    const failures: string[] = [];
    commands.forEach((command, index) => {
      const started = output.indexOf(`\x1f${index}\x1f\n`);
      const ended = /\x1e(\d+) (\d+)\x1e/.exec(output.slice(started));
      const at = `${file}:${command.line}`;
      if (started === -1 || !ended || Number(ended[1]) !== index) {
        failures.push(`${at}: the command did not finish (the script stopped before it or inside it); output so far:\n${output.slice(Math.max(0, started))}`);
        return;
      }
      const printed = output.slice(started + `\x1f${index}\x1f\n`.length, started + ended.index);
      const shown = `\n  ${command.text.replace(/\n/g, '\n  ')}\nprinted:\n${printed.length > 3000 ? `${printed.slice(0, 3000)}…` : printed}`;
      if (ended[2] !== '0') failures.push(`${at}: the command exited with ${ended[2]}${shown}`);
      else {
        const mismatch = compareAnswer(command.answer, printed);
        if (mismatch) failures.push(`${at}: ${mismatch}${shown}`);
      }
    });
    expect(failures, `${failures.length} of the ${commands.length} commands of ${file} failed`).toEqual([]);
  }, budget(180_000));
});

/** The README's definition of `gql`, the tour's helper that every page's commands use. */
function gqlDefinition(): string {
  const definition = snippets.filter((snippet) => snippet.file === 'README.md' && snippet.kind === 'run').flatMap(commandsOf).find((command) => /^gql\(\)/.test(command.text));
  if (!definition) throw new Error('README.md: no ```sh block defines gql(), which the docs\' commands use');
  return definition.text;
}

/** Runs a bash script with the demo's credentials in its environment; resolves with everything it printed. */
function runBash(script: string, cwd: string, env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolvePrinted, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd,
      env: { PATH: `${resolve('node_modules/.bin')}:${process.env.PATH}`, HOME: cwd, LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the shell blocks did not finish within ${timeoutMs} ms; printed so far:\n${printed}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolvePrinted(printed);
    });
  });
}
