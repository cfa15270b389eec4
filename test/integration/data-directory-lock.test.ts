import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory } from '../../server/dist/db/data-directory-lock.js';

/**
 * The data directory's lock on its own, with real processes: many starters racing for a free
 * directory or for one whose owner was killed with SIGKILL, and exactly one of them wins.
 */
const LOCK_MODULE = resolve(process.cwd(), 'server/dist/db/data-directory-lock.js');

/** A process that takes the lock when told "go" on stdin, says `owned` or `refused <pid>`, and holds it until stdin closes. */
const RACER = `
import { lockDataDirectory } from ${JSON.stringify(LOCK_MODULE)};
process.stdin.once('data', async () => {
  try {
    await lockDataDirectory(process.argv[1]);
    console.log('owned');
  } catch (error) {
    console.log(error.code === 'DATA_DIRECTORY_IN_USE' ? 'refused ' + error.ownerPid : 'failed ' + error.message);
  }
});
process.stdin.on('end', () => process.exit(0));
console.log('ready');
`;

interface Racer {
  child: ChildProcess;
  /** The first line after "ready". */
  outcome: Promise<string>;
}

async function startRacer(dataDir: string): Promise<Racer> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', RACER, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const nextLine = () => new Promise<string>((resolveLine) => (lines.length ? resolveLine(lines.shift()!) : waiting.push(resolveLine)));
  expect(await nextLine()).toBe('ready');
  return { child, outcome: nextLine() };
}

/** Starts `count` racers, lets them all go at once, and returns their outcomes. */
async function race(dataDir: string, count: number): Promise<{ racers: Racer[]; outcomes: string[] }> {
  const racers = await Promise.all(Array.from({ length: count }, () => startRacer(dataDir)));
  for (const racer of racers) racer.child.stdin!.write('go\n');
  return { racers, outcomes: await Promise.all(racers.map((racer) => racer.outcome)) };
}

async function endAll(racers: Racer[]): Promise<void> {
  await Promise.all(
    racers.map(async (racer) => {
      if (racer.child.exitCode !== null || racer.child.signalCode !== null) return;
      const exited = once(racer.child, 'exit');
      racer.child.stdin!.end();
      await exited;
    }),
  );
}

async function killed(racer: Racer): Promise<void> {
  const exited = once(racer.child, 'exit');
  racer.child.kill('SIGKILL');
  await exited;
}

const lockPid = async (dataDir: string) => Number((await readFile(join(dataDir, 'tollgate.lock'), 'utf8')).split('\n')[0]);

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tollgate-lock-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('data directory lock', () => {
  it('lets exactly one of several processes starting at once own a free directory, and names it to the others', async () => {
    const { racers, outcomes } = await race(dataDir, 6);
    try {
      const winner = racers[outcomes.indexOf('owned')]!;
      expect(outcomes.filter((outcome) => outcome === 'owned')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome !== 'owned')).toEqual(Array(5).fill(`refused ${winner.child.pid}`));
      expect(await lockPid(dataDir)).toBe(winner.child.pid);
    } finally {
      await endAll(racers);
    }
  });

  it('lets exactly one of several processes take over the lock of an owner killed with SIGKILL', async () => {
    for (let round = 0; round < 4; round++) {
      const { racers: [owner] } = await race(dataDir, 1);
      await killed(owner!);
      const stalePid = await lockPid(dataDir);
      expect(stalePid).toBe(owner!.child.pid);

      const { racers, outcomes } = await race(dataDir, 6);
      try {
        expect(outcomes.filter((outcome) => outcome === 'owned')).toHaveLength(1);
        const winner = racers[outcomes.indexOf('owned')]!;
        expect(outcomes.filter((outcome) => outcome !== 'owned')).toEqual(Array(5).fill(`refused ${winner.child.pid}`));
        expect(await lockPid(dataDir)).toBe(winner.child.pid);
        await killed(winner); // the next round starts from this one's stale lock
      } finally {
        await endAll(racers);
      }
    }
    // Takeover files do not pile up: only the one the last (killed) owner held is left.
    const left = await readdir(dataDir);
    expect(left.filter((name) => name !== 'tollgate.lock')).toEqual([expect.stringMatching(/^tollgate\.lock\.takeover-[0-9a-f]+$/)]);
  });

  it('refuses a second hold inside the same process, and frees the directory on release', async () => {
    const lock = await lockDataDirectory(dataDir);
    const second = lockDataDirectory(dataDir);
    await expect(second).rejects.toThrow(DataDirectoryInUseError);
    await expect(second).rejects.toThrow(`already in use by this process (pid ${process.pid})`);
    await lock.release();
    expect(await readdir(dataDir)).toEqual([]);
    const again = await lockDataDirectory(dataDir);
    await again.release();
  });

  it('refuses while the owner runs, and says how to resolve it', async () => {
    const { racers: [owner] } = await race(dataDir, 1);
    try {
      const refused = lockDataDirectory(dataDir);
      await expect(refused).rejects.toMatchObject({ code: 'DATA_DIRECTORY_IN_USE', dataDir, ownerPid: owner!.child.pid });
      await expect(refused).rejects.toThrow(
        `The embedded database in ${dataDir} is already in use by another process (pid ${owner!.child.pid}). ` +
          'Only one Tollgate process may use a data directory: stop the other one first, give this one its own ' +
          'TOLLGATE_DATA_DIR, or set DATABASE_URL to a PostgreSQL to run several processes on one database. ' +
          `If pid ${owner!.child.pid} is not a Tollgate process, delete ${join(dataDir, 'tollgate.lock')}.`,
      );
    } finally {
      await endAll([owner!]);
    }
  });
});
