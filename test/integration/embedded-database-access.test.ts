import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../server/dist/db/index.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * The embedded database accepts any password, so the only door is who can reach it: a Unix
 * socket in owner-only directories, and no TCP port. These tests look at a real server process
 * from outside, as another local user would.
 */
let dataDir: string;
let server: ServerProcess;
let socketDir: string;
let socketUrl: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tollgate-access-'));
  await chmod(dataDir, 0o755); // as `mkdir -p` leaves it: the server must close it
  server = await spawnServer({ TOLLGATE_DATA_DIR: dataDir, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY });
  socketDir = join(dataDir, 'socket');
  socketUrl = `postgresql://postgres@${encodeURIComponent(socketDir)}:5432/postgres`;
});
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

/** The TCP ports a process listens on, from its socket inodes and /proc/net/tcp{,6}. */
async function listeningTcpPorts(pid: number): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (await readFile(table, 'utf8')).trim().split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state === '0A' && inodes.has(inode!)) ports.push(parseInt(local!.split(':')[1]!, 16));
    }
  }
  return ports.sort();
}

/** The uid and primary gid of `nobody`, from /etc/passwd (null where there is no such user). */
async function nobody(): Promise<{ uid: number; gid: number } | null> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((entry) => entry.startsWith('nobody:'));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Connects to the socket as another OS user (nobody) with node-postgres and reads the signing
 * secrets: "refused <code>" or "read <n> secrets". The Node process starts as this user (root),
 * loads what it needs from the checkout, and only then becomes nobody: so it works wherever the
 * checkout lives, even in a folder nobody may enter (a `mktemp -d` one), and the only thing done
 * as nobody is the connection itself.
 */
async function connectAsNobody(url: string): Promise<string> {
  const { uid, gid } = (await nobody())!;
  const script = `
    const { Client } = require(${JSON.stringify(createRequire(import.meta.url).resolve('pg'))});
    const client = new Client({ connectionString: process.argv[1] });
    process.setgroups([]);
    process.setgid(${gid});
    process.setuid(${uid});
    if (process.getuid() !== ${uid} || process.getegid() !== ${gid}) throw new Error('still root');
    client.connect().then(
      async () => { const { rows } = await client.query('select count(*)::int as n from signing_secret'); console.log('read ' + rows[0].n + ' secrets'); await client.end(); },
      (error) => console.log('refused ' + error.code),
    );`;
  const child = spawn(process.execPath, ['-e', script, url], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the connection attempt as nobody did not run (exit ${code}): ${errors}`);
  return output.trim();
}

const canSwitchUser = process.getuid?.() === 0 && (await nobody()) !== null;

describe('access to the embedded database', () => {
  it('listens on no TCP port but the HTTP one', async () => {
    const httpPort = Number(new URL(server.graphqlUrl).port);
    expect(await listeningTcpPorts(server.child.pid!)).toEqual([httpPort]);
  });

  it('serves a Unix socket in an owner-only directory, in an owner-only data directory', async () => {
    expect((await stat(join(socketDir, '.s.PGSQL.5432'))).isSocket()).toBe(true);
    expect(await mode(socketDir)).toBe(0o700);
    expect((await stat(socketDir)).uid).toBe(process.getuid!());
    expect(await mode(dataDir)).toBe(0o700);
    // The URL node-postgres gets reaches it, for this user.
    const client = new pg.Client({ connectionString: socketUrl });
    await client.connect();
    try {
      expect((await client.query('select count(*)::int as n from signing_secret')).rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('refuses a connection from another local user, even through an open data directory', async () => {
    if (!canSwitchUser) {
      // Without root there is no second identity to try with: check what the kernel decides by,
      // a socket directory no other user may enter.
      expect((await stat(socketDir)).mode & 0o077).toBe(0);
      return;
    }
    expect(await connectAsNobody(socketUrl)).toBe('refused EACCES');
    // Only the socket's own directory keeps them out now.
    await chmod(dataDir, 0o711);
    expect(await connectAsNobody(socketUrl)).toBe('refused EACCES');
    // The control: with the socket's directory opened too, the same user reads the secrets, so
    // the refusals above came from the permissions and nothing else.
    await chmod(socketDir, 0o777);
    await chmod(join(socketDir, '.s.PGSQL.5432'), 0o777);
    expect(await connectAsNobody(socketUrl)).toMatch(/^read [1-9]\d* secrets$/);
    await chmod(socketDir, 0o700);
    await chmod(dataDir, 0o700);
  });
});

describe('a data directory too deep for a socket path', () => {
  let deepDir: string;
  beforeAll(async () => {
    deepDir = join(await mkdtemp(join(tmpdir(), 'tollgate-deep-')), 'a'.repeat(60), 'b'.repeat(60));
    await mkdir(deepDir, { recursive: true });
  });
  afterAll(() => rm(join(deepDir, '..', '..'), { recursive: true, force: true }));

  it('serves the socket from a private temporary directory, and removes it on stop', { timeout: budget(60_000) }, async () => {
    const database = await startEmbeddedDatabase(deepDir);
    const socketDirectory = join(database.socketPath, '..');
    try {
      expect(database.socketPath).toMatch(new RegExp(`^${tmpdir()}/tollgate-[^/]+/\\.s\\.PGSQL\\.5432$`));
      expect(Buffer.byteLength(database.socketPath)).toBeLessThanOrEqual(103);
      expect(await mode(socketDirectory)).toBe(0o700);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }
    } finally {
      await database.stop();
    }
    expect(existsSync(socketDirectory)).toBe(false);
    expect(existsSync(join(deepDir, 'tollgate.lock'))).toBe(false);
  });
});
