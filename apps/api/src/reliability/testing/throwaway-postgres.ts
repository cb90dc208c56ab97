import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own for a test that stops and starts the database: initdb in a temporary
 * directory, its own free port, trust authentication on 127.0.0.1 only. initdb and the server refuse to
 * run as root, so as root they run as the `postgres` system user (runuser) in a directory it owns.
 */
export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  start(): Promise<void>;
  /** `fast`: sessions are terminated and in-flight transactions rolled back; `immediate`: the server is killed (crash recovery on start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /**
   * Freezes every process of the server (SIGSTOP): connections are still accepted by the kernel but
   * nothing answers, as with a stalled disk or a network that drops packets. `thaw` resumes them.
   */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** The server log, for a failure message. */
  log(): string;
  /** Stops the server (if running) and deletes the cluster. */
  destroy(): Promise<void>;
}

export type ThrowawayAvailability = { available: true; binDir: string; runAs: string | null } | { available: false; reason: string };

const BIN_DIRS = [process.env.PG_BIN_DIR, '/usr/lib/postgresql/15/bin'].filter((d): d is string => !!d);

/** Whether a throwaway cluster can be started here, and if not, why. */
export function throwawayPostgresAvailability(): ThrowawayAvailability {
  const binDir = BIN_DIRS.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl')));
  if (!binDir) return { available: false, reason: `no PostgreSQL server binaries (initdb, pg_ctl) in ${BIN_DIRS.join(' or ')}; set PG_BIN_DIR` };
  if (userInfo().uid !== 0) return { available: true, binDir, runAs: null };
  if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return { available: false, reason: 'running as root, and runuser (to run initdb as postgres) is missing' };
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : '';
  if (!/^postgres:/m.test(passwd)) return { available: false, reason: 'running as root, and there is no postgres system user to run initdb as' };
  return { available: true, binDir, runAs: 'postgres' };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const availability = throwawayPostgresAvailability();
  if (!availability.available) throw new Error(`Cannot start a throwaway PostgreSQL: ${availability.reason}`);
  const { binDir, runAs } = availability;
  const root = mkdtempSync(path.join(tmpdir(), 'sped-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  if (runAs) {
    const { uid, gid } = await idsOf(runAs);
    chownSync(root, uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] => (runAs ? ['runuser', ['-u', runAs, '--', path.join(binDir, tool), ...args]] : [path.join(binDir, tool), args]);
  const pg = async (tool: string, args: string[]) => {
    const [file, argv] = command(tool, args);
    try {
      return await run(file, argv, { cwd: root, timeout: 120_000 });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}\n${readLog(logFile)}`);
    }
  };
  try {
    await pg('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  // Crash safety here is the server's (WAL written before COMMIT returns), not the disk's: fsync off keeps the test quick.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${root} -c fsync=off -c full_page_writes=off -c max_connections=100`;
  let running = false;
  let frozen = false;
  // A test process that ends without destroy() (a timeout, a crash) must not leave a server behind.
  const onExit = () => {
    try {
      if (frozen) signalServer(dataDir, 'CONT');
      if (running) execFileSync(...command('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']));
    } catch {
      // Best effort.
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async start() {
      await pg('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await pg('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async freeze() {
      signalServer(dataDir, 'STOP');
      frozen = true;
    },
    async thaw() {
      signalServer(dataDir, 'CONT');
      frozen = false;
    },
    log: () => readLog(logFile),
    async destroy() {
      process.off('exit', onExit);
      if (frozen) await cluster.thaw().catch(() => undefined);
      if (running) await cluster.stop('immediate').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/** Signals the postmaster, then every process it started (a stopped postmaster forks no new ones). */
function signalServer(dataDir: string, signal: 'STOP' | 'CONT'): void {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmaster, `SIG${signal}`);
  let children = '';
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when there are none.
  }
  for (const pid of children.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, `SIG${signal}`);
    } catch {
      // It exited meanwhile.
    }
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function idsOf(user: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
