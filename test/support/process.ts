import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

// Resolved from the repository root (vitest's root): jsdom test files have no file: import.meta.url.
const MAIN = resolve(process.cwd(), 'server/dist/main.js');
const HOST_API = resolve(process.cwd(), 'examples/host-api/dist/main.js');

/** A server started as its own process, as `npm start` starts it. */
export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  graphqlUrl: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** How to start the Node process beyond its environment. */
export interface SpawnOptions {
  /** Arguments for Node before the script (`--expose-gc`, `--import …`). */
  nodeArgs?: string[];
  /** Open an IPC channel (`child.send`, `child.on('message')`). */
  ipc?: boolean;
}

/**
 * Spawns `node server/dist/main.js` (the same Node that runs the tests) and resolves once it
 * prints its GraphQL URL.
 */
export async function spawnServer(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServerProcess> {
  return spawnProcess(MAIN, env, /GraphQL:\s+(http:\/\/\S+\/graphql)/, options);
}

/** Spawns the example host API (`examples/host-api/dist/main.js`); `graphqlUrl` is its own endpoint. */
export async function spawnHostApi(env: Record<string, string>): Promise<ServerProcess> {
  return spawnProcess(HOST_API, env, /Notes API on (http:\/\/\S+\/graphql)/);
}

async function spawnProcess(script: string, env: Record<string, string>, ready: RegExp, options: SpawnOptions = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`server exited with ${code} before it was ready:\n${output}`)));
  });
  return {
    child,
    graphqlUrl,
    output: () => output,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
