// Worker thread: generates its share of the history (chunks w, w+n, w+2n, ...) into a COPY text file.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { copyLine, generateHistory } from './generate.js';

const { file, seed, maxEvents, maxCases, now, providerTag } = workerData;
const suffixes = [];
const out = createWriteStream(file);
let events = 0;
let cases = 0;
let refused = 0;
let lastReport = Date.now();
for (const rows of generateHistory({ seed, maxEvents, maxCases, now: new Date(now), providerTag, onProviders: (s) => suffixes.push(s), onRefused: () => refused++ })) {
  events += rows.length;
  if (rows[0].streamId.startsWith('case-')) cases++;
  let text = '';
  for (const row of rows) text += copyLine(row);
  if (!out.write(text)) await once(out, 'drain');
  if (Date.now() - lastReport > 2000) {
    lastReport = Date.now();
    parentPort.postMessage({ progress: events });
  }
}
out.end();
await once(out, 'finish');
parentPort.postMessage({ done: true, events, cases, refused, suffixes });
