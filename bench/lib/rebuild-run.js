// Runs rebuild-child.js and watches it: progress lines, RSS sampled from /proc every 100 ms (the child also
// reports its own peak, VmHWM, which is what counts).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmtInt, now } from './common.js';

const CHILD = fileURLToPath(new URL('./rebuild-child.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../apps/projector/dist/cli/rebuild.js', import.meta.url));
const PEAK = fileURLToPath(new URL('./report-peak-rss.js', import.meta.url));

function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/**
 * Modes: `cli` runs the operator's command, `npm run rebuild -- --all` (apps/projector/dist/cli/rebuild.js: one
 * projection after the other); `rebuilder` all projections at once through ProjectionRebuilder; `runner` a fresh
 * ProjectionRunner over empty tables. Resolves { events, ms, peakRssMb, ... }.
 */
export function runRebuildChild(url, { mode = 'rebuilder', batchSize, log = () => {}, nodeArgs = [], events, providersFile } = {}) {
  if (mode === 'cli') return runCli(url, { log, nodeArgs, events, providersFile });
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(process.execPath, [...nodeArgs, CHILD, url, mode, ...(batchSize ? [String(batchSize)] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(providersFile ? { PROVIDERS_FILE: providersFile } : {}) },
    });
    let sampledPeak = 0;
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, rssMb(child.pid))), 100);
    let buffer = '';
    let stderr = '';
    let result;
    child.stdout.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.progress !== undefined) {
          const s = (now() - started) / 1000;
          log(`${mode}: ${fmtInt(msg.progress)}/${fmtInt(msg.head)} events (${s.toFixed(0)} s, RSS ${rssMb(child.pid).toFixed(0)} MB${msg.memory ? `, heap ${msg.memory.heapUsed}/${msg.memory.heapTotal} MB, external ${msg.memory.external} MB` : ''})`);
        }
        if (msg.done) result = msg;
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code !== 0 || !result) return reject(new Error(`rebuild child exited with ${code}: ${stderr.trim().slice(-2000)}`));
      resolve({ ...result, sampledPeakRssMb: sampledPeak, wallMs: now() - started });
    });
  });
}

function runCli(url, { log, nodeArgs, events, providersFile }) {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(process.execPath, ['--import', PEAK, ...nodeArgs, CLI, '--all'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...(providersFile ? { PROVIDERS_FILE: providersFile } : {}) },
    });
    let sampledPeak = 0;
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, rssMb(child.pid))), 100);
    let stderr = '';
    let lastLog = 0;
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-20000);
      const lines = String(d).trim().split('\n');
      const progress = lines.reverse().find((l) => / at position \d+ of \d+/.test(l));
      if (progress && now() - lastLog > 2000) {
        lastLog = now();
        log(`rebuild --all: ${progress.trim()} (${((now() - started) / 1000).toFixed(0)} s, RSS ${rssMb(child.pid).toFixed(0)} MB)`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const ms = now() - started;
      if (code !== 0) return reject(new Error(`npm run rebuild -- --all exited with ${code}: ${stderr.trim().slice(-2000)}`));
      const peak = Number(/BENCH_PEAK_RSS_MB=([\d.]+)/.exec(stderr)?.[1] ?? sampledPeak);
      const rebuilt = [...stderr.matchAll(/rebuilt from (\d+) events/g)].map((m) => Number(m[1]));
      resolve({ done: true, events: events ?? Math.max(0, ...rebuilt), ms, wallMs: ms, peakRssMb: peak, sampledPeakRssMb: sampledPeak, errors: [] });
    });
  });
}
