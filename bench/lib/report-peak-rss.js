// Preloaded (--import) into a child whose peak memory is measured: on exit, writes its VmHWM (peak RSS, MB) to
// stderr as `BENCH_PEAK_RSS_MB=<n>`.
import { readFileSync, writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
    writeSync(2, `\nBENCH_PEAK_RSS_MB=${(kb / 1024).toFixed(1)}\n`);
  } catch {
    // No /proc: the parent's sampling stands.
  }
});
