import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock file's name inside the data directory; its first line is the owner's pid. */
export const LOCK_FILE = 'tollgate.lock';

/** Lock files this process holds or is taking, so a second start inside it refuses as well. */
const heldHere = new Set<string>();

/** Who holds a lock file: a pid, what distinguishes that process from a later one with the same pid, and a nonce naming this one acquisition. */
interface Owner {
  pid: number;
  /** `<boot id>/<start time>` on Linux, null where /proc cannot tell. */
  started: string | null;
  nonce: string;
}

/** The exclusive hold on a data directory: release it when the database is closed. */
export interface DataDirectoryLock {
  /** The lock file, `<dataDir>/tollgate.lock`. */
  path: string;
  /** Deletes the lock file, so the next start takes the directory without a takeover. */
  release(): Promise<void>;
}

/**
 * Another live process (or this one) already owns the data directory. Two PGlite instances on
 * one directory each keep their own state in memory (buffers, WAL position) and overwrite each
 * other's files, so writes one acknowledges are lost; refusing at once is the only safe answer.
 */
export class DataDirectoryInUseError extends Error {
  readonly code = 'DATA_DIRECTORY_IN_USE';

  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    lockPath: string,
  ) {
    const owner = ownerPid === process.pid ? `this process (pid ${ownerPid})` : `another process (pid ${ownerPid})`;
    super(
      `The embedded database in ${dataDir} is already in use by ${owner}. ` +
        `Only one Tollgate process may use a data directory: stop the other one first, ` +
        `give this one its own TOLLGATE_DATA_DIR, or set DATABASE_URL to a PostgreSQL to run several processes on one database. ` +
        `If pid ${ownerPid} is not a Tollgate process, delete ${lockPath}.`,
    );
    this.name = 'DataDirectoryInUseError';
  }
}

/**
 * Makes this process the one owner of `dataDir`, in the manner of PostgreSQL's postmaster.pid:
 * a lock file holding our pid, created atomically. A lock whose owner is no longer alive (killed
 * with `kill -9`, or a machine that lost power) is taken over, so a crash never blocks the next
 * start; a live owner makes this throw {@link DataDirectoryInUseError} at once.
 *
 * @example
 * const lock = await lockDataDirectory(dataDir); // throws while another process owns it
 * try { ... } finally { await lock.release(); }
 */
export async function lockDataDirectory(dataDir: string): Promise<DataDirectoryLock> {
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(path)) throw new DataDirectoryInUseError(dataDir, process.pid, path);
  heldHere.add(path);
  try {
    const me: Owner = { pid: process.pid, started: await processStart(process.pid), nonce: randomBytes(12).toString('hex') };
    const result = await claim(path, me);
    if ('owner' in result) throw new DataDirectoryInUseError(dataDir, result.owner.pid, path);
    await removeOldTakeovers(dataDir, result.held);
    return {
      path,
      async release() {
        if (!heldHere.has(path)) return;
        try {
          if ((await readOwner(path))?.nonce === me.nonce) await rm(path, { force: true });
          await Promise.all(result.held.map((file) => rm(file, { force: true })));
        } finally {
          heldHere.delete(path);
        }
      },
    };
  } catch (error) {
    heldHere.delete(path);
    throw error;
  }
}

/**
 * Creates `path` holding `me`, or takes it over from a dead owner. Returns the files `me` now
 * holds (`path` and the takeover files that got it there), or the live owner that keeps it.
 */
async function claim(path: string, me: Owner): Promise<{ held: string[] } | { owner: Owner }> {
  for (;;) {
    if (await createExclusive(path, me)) return { held: [path] };
    const owner = await readOwner(path);
    if (!owner) continue; // released between our attempt and the read: try again
    if (await isAlive(owner)) return { owner };
    // Deleting a stale file and creating ours would race: a slower starter that read the same
    // stale file could delete the one a faster starter just created, and both would own the
    // directory. So only the one starter that creates the takeover file named after this exact
    // owner's nonce may replace the lock, and it replaces it with an atomic rename (there is
    // never a moment without a lock file). The winner keeps the takeover file while it runs, so
    // a slow starter cannot create it again and finds the winner named in it. The takeover file
    // is claimed the same way, so a starter killed while holding it blocks nobody.
    const takeover = `${path}.takeover-${owner.nonce}`;
    const result = await claim(takeover, me);
    if ('owner' in result) return result; // the live starter taking over now, or that took over
    if ((await readOwner(path))?.nonce === owner.nonce) {
      await writeAtomically(path, me, (temporary) => rename(temporary, path));
      return { held: [path, ...result.held] };
    }
    await Promise.all(result.held.map((file) => rm(file, { force: true })));
  }
}

/**
 * Deletes the takeover files of earlier owners (a killed owner leaves the one it held). Safe
 * while we own the lock: whoever holds such a file re-reads the lock, finds our nonce and gives up.
 */
async function removeOldTakeovers(dataDir: string, held: string[]): Promise<void> {
  const old = (await readdir(dataDir))
    .filter((name) => name.startsWith(`${LOCK_FILE}.takeover-`) && !name.endsWith('.tmp')) // a starter may be about to link a .tmp
    .map((name) => join(dataDir, name))
    .filter((file) => !held.includes(file));
  await Promise.all(old.map((file) => rm(file, { force: true })));
}

/** Creates `path` with the full content at once (link fails if it exists, like O_EXCL, but a reader never sees an empty file). */
async function createExclusive(path: string, me: Owner): Promise<boolean> {
  try {
    await writeAtomically(path, me, (temporary) => link(temporary, path));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function writeAtomically(path: string, me: Owner, place: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${me.pid}\n${me.started ?? '-'}\n${me.nonce}\n`, { mode: 0o600, flush: true });
  try {
    await place(temporary);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function readOwner(path: string): Promise<Owner | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const [pid, started, nonce] = text.split('\n');
  if (!/^\d+$/.test(pid ?? '') || !nonce) {
    throw new Error(`The lock file ${path} is not one Tollgate wrote. If no Tollgate uses this data directory, delete it.`);
  }
  return { pid: Number(pid), started: started && started !== '-' ? started : null, nonce };
}

/**
 * Whether the lock's owner still runs. A pid alone can be reused (after a reboot, or in a
 * container that gives every start the same pid), so where Linux's /proc tells a process's start
 * time, a different start time means the owner is gone.
 */
async function isAlive(owner: Owner): Promise<boolean> {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user, so it is alive.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = await processStart(owner.pid);
  if (started === 'zombie') return false;
  // Our own pid here means an earlier process that had it (we check our own holds first).
  if (owner.pid === process.pid) return started !== null && owner.started !== null && started === owner.started;
  return started === null || owner.started === null || started === owner.started;
}

let bootId: Promise<string | null> | null = null;

/** `<boot id>/<start time in clock ticks>` of a Linux process, 'zombie' for an exited one not yet reaped, null where /proc is missing. */
async function processStart(pid: number): Promise<string | null> {
  bootId ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((id) => id.trim(), () => null);
  const boot = await bootId;
  if (!boot) return null;
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')'
  // start with the state (field 3), so the start time (field 22) is the 20th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return 'zombie';
  return fields[19] ? `${boot}/${fields[19]}` : null;
}
