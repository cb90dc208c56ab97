// Cases ready for a repeatable command: rehabilitation cases of resolution No. 604 (2019) that have reached
// their sessions, from the seed's plan cut just before its first HoldSession. `HoldSession` may be recorded any
// number of times, so a load test can send it again and again to the same cases.
import { recordChain } from './generate.js';
import { planSeed } from '../../apps/api/dist/cli/seed-plan.js';

/**
 * Rows of `count` session-ready cases, and per case the actor that holds its sessions: a few planned chains
 * with sessions, each recorded again under other Idempotency-Keys (so other ids) until there are enough.
 */
export function sessionReadyCases(count, seed = 'sessions') {
  const templates = [];
  for (let chunk = 0; templates.length < 12 && chunk < 20; chunk++) {
    for (const chain of planSeed({ seed: `${seed}-${chunk}`, cases: 300, now: new Date() }).chains) {
      if (chain.case && chain.requests.some((r) => r.body?.type === 'HoldSession')) templates.push(chain);
    }
  }
  if (templates.length === 0) throw new Error('the seed plan held no case with sessions');
  const cases = [];
  for (let i = 0; cases.length < count; i++) {
    const rows = recordChain(templates[i % templates.length], { keySuffix: `-copy${i}`, cutBefore: (r) => r.body?.type === 'HoldSession' });
    if (!rows.cut?.ids.get('case')) continue;
    cases.push({ caseId: rows.cut.ids.get('case'), actor: rows.cut.request.actor, rows: rows.filter((r) => r.streamId.startsWith('case-')) });
  }
  return cases;
}

/** Appends generated rows through the store, one append per stream (they are already hash-chained). */
export async function appendRows(store, rows) {
  const byStream = new Map();
  for (const r of rows) {
    const list = byStream.get(r.streamId) ?? [];
    list.push(r);
    byStream.set(r.streamId, list);
  }
  let position = '0';
  for (const [streamId, list] of byStream) {
    const result = await store.append(streamId, list.map((r) => ({ id: r.id, type: r.type, data: r.data, metadata: r.metadata })), { expectedVersion: list[0].streamVersion - 1 });
    position = result.position;
  }
  return position;
}
