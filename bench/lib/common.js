// Shared helpers of the benchmarks: statistics, interleaved rounds, databases of their own on the local
// PostgreSQL (or, when it cannot be reached, an embedded PGlite server, clearly marked), psql as a child.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const PGLITE_MARK = ' [PGlite — not the target]';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const now = () => performance.now();

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values, p) {
  const s = values instanceof Float64Array ? Float64Array.from(values).sort() : Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

export const round = (v, digits = 3) => (v == null || Number.isNaN(v) ? null : Number(v.toFixed(digits)));
export const fmtInt = (v) => Math.round(v).toLocaleString('en');

/**
 * Runs subject and baseline alternately, `rounds` times each (the order flips every round, so neither
 * always runs on a warmer or colder machine), and gives every round's measurement of both.
 */
export async function interleaved(rounds, subject, baseline, log) {
  const s = [];
  const b = [];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? ['s', 'b'] : ['b', 's'];
    for (const which of order) {
      if (which === 's') s.push(await subject(i));
      else b.push(await baseline(i));
    }
    log?.(`round ${i + 1}/${rounds}: subject ${fmtNum(s[s.length - 1])}, baseline ${fmtNum(b[b.length - 1])}`);
  }
  return { subject: s, baseline: b };
}

const fmtNum = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? fmtInt(v) : v.toFixed(3)) : JSON.stringify(v));

/** Which server the benchmarks run against; decided once per process. */
let serverKind;
export async function serverKindOf() {
  if (serverKind) return serverKind;
  if (process.env.BENCH_PGLITE === '1') return (serverKind = 'pglite');
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    serverKind = 'postgres';
  } catch (error) {
    process.stderr.write(`[bench] PostgreSQL at ${ADMIN_URL} is not reachable (${error.message}): running on embedded PGlite, whose figures are NOT the targets\n`);
    serverKind = 'pglite';
  } finally {
    await client.end().catch(() => undefined);
  }
  return serverKind;
}

/** Appends the PGlite marker to a result name, and drops the target, when not on PostgreSQL. */
export async function mark(rows) {
  if ((await serverKindOf()) === 'postgres') return rows;
  return rows.map((r) => ({ ...r, name: r.name + PGLITE_MARK, target: null, stretch: undefined }));
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A database of its own: `bench_<label>_<random>` on the local PostgreSQL (from `template` when given),
 * or a fresh in-memory PGlite server. `drop()` removes it even with connections left.
 */
export async function createDatabase(label, { template } = {}) {
  const kind = await serverKindOf();
  if (kind === 'pglite') {
    if (template) throw new Error('PGlite has no template databases');
    const { startEmbeddedPostgres, IN_MEMORY } = await import('../../libs/event-store/dist/index.js');
    const server = await startEmbeddedPostgres({ dataDir: IN_MEMORY });
    return { kind, name: label, url: server.connectionString, drop: () => server.stop() };
  }
  const name = `bench_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped;
  return {
    kind,
    name,
    url: url.toString(),
    drop: () => (dropped ??= adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

/** Databases this process created and has not dropped: dropped on exit of the harness, whatever happens. */
const live = new Set();
export function track(db) {
  live.add(db);
  const drop = db.drop;
  db.drop = async () => {
    live.delete(db);
    await drop();
  };
  return db;
}
const cleanups = [];
/** Something to undo when the harness ends (temporary files). */
export function onCleanup(fn) {
  cleanups.push(fn);
}

/** BENCH_KEEP=1 keeps them (for looking into a result afterwards) and prints their names. */
export async function dropAll() {
  for (const fn of cleanups.splice(0)) await Promise.resolve(fn()).catch(() => undefined);
  if (process.env.BENCH_KEEP === '1') {
    if (live.size) process.stderr.write(`[bench] kept databases: ${[...live].map((db) => db.name).join(', ')}\n`);
    return;
  }
  await Promise.all([...live].map((db) => db.drop().catch(() => undefined)));
}

/**
 * Runs psql on `url` with `sql` (-c); stdin from `input` (a file path or a readable stream), stdout to
 * `output` (a file path) or collected and returned.
 */
export function psql(url, sql, { input, output } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { stdio: ['pipe', output ? 'pipe' : 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const done = [];
    if (output) done.push(pipeline(child.stdout, createWriteStream(output)));
    else child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    if (input) done.push(pipeline(typeof input === 'string' ? createReadStream(input) : input, child.stdin));
    else child.stdin.end();
    child.on('error', reject);
    child.on('close', async (code) => {
      try {
        await Promise.all(done);
      } catch (error) {
        return reject(error);
      }
      if (code !== 0) reject(new Error(`psql exited with ${code}: ${err.trim()}`));
      else resolve(out);
    });
  });
}

/** A quiet logger for the product code (pino-shaped: info/warn/error/debug/child). */
export const quietLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return quietLogger;
  },
};
