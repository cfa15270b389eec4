import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Resolved from the repository root (vitest's root), as in process.ts.
const MAIN = resolve(process.cwd(), 'server/dist/main.js');
const PROBE = resolve(process.cwd(), 'test/support/heap-probe.mjs');

/** A server process whose heap the test can read, so that its memory is its own. */
export interface MeasuredServer {
  graphqlUrl: string;
  /** `heapUsed` of the server process after full garbage collections, in bytes. */
  heapUsedAfterGC(): Promise<number>;
  /** Everything it printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `node server/dist/main.js` as `spawnServer` does, with `--expose-gc`, an IPC channel and
 * test/support/heap-probe.mjs preloaded: the test asks the process for its heap over IPC, with no
 * route added to the server.
 */
export async function spawnMeasuredServer(env: Record<string, string>): Promise<MeasuredServer> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', pathToFileURL(PROBE).href, MAIN], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
  });
  return {
    graphqlUrl,
    output: () => output,
    heapUsedAfterGC() {
      return new Promise((resolve, reject) => {
        const onMessage = (message: { type?: string; heapUsed?: number }) => {
          if (message?.type !== 'heap') return;
          child.off('message', onMessage);
          resolve(message.heapUsed!);
        };
        child.on('message', onMessage);
        exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
        child.send({ type: 'heap' });
      });
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
