// Realistic event histories at scale, for the rebuild, catch-up, read and lag benchmarks.
//
// The mix is the demo seed's (apps/api/src/cli/seed-plan.ts `planSeed`: services and rule sets by period,
// outcomes 86/8/6 issued/refused/withdrawn, late steps per provider, corrections, complaints). The seed sends
// its plan as HTTP commands, which is far too slow for a million events; here each planned request goes
// through what the command handler does with it (body -> domain command, `decideCase` / `decideComplaint`,
// idempotency metadata, event ids, the hash chain of `executeCommand`), straight into rows for COPY.
// The plan is made in chunks of `casesPerChunk` cases with seeds `<seed>-<chunk>`, so memory stays flat.
// The seed serves the 7 demo providers; at 100,000 cases that would be some 15,000 cases per provider, so with
// `providerTag` every chunk gets its own copies of them (`school-esik-5-w0c12`, same schedules: see
// providersFile in fixture.js), about 300 cases each, as a country's providers would have.
//
// What differs from the real path: personal data is not encrypted (a random string of the sealed form's
// length stands in for it, under a per-IIN person id), and each action is recorded a few minutes after it
// happened (`metadata.now`, `recorded_at`), as in a store that lived through those years, where the seed
// records everything on the day it runs.
import { createHash, randomBytes } from 'node:crypto';
import {
  almatyDate,
  caseStreamId,
  complaintStreamId,
  decideCase,
  decideComplaint,
  evolveCase,
  evolveComplaint,
  initialCaseState,
  initialComplaintState,
} from '../../libs/domain/dist/index.js';
import { regulationById, regulationFor, complaintTermsFor, listComplaintTerms } from '../../libs/regulations/dist/index.js';
import { canonicalJson, chainEvents, deterministicUuid } from '../../libs/event-store/dist/index.js';
import { planSeed } from '../../apps/api/dist/cli/seed-plan.js';

const CLOCK_SKEW_MS = 120_000;
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** Stands in for the vault's output: the same shape and about the same size as a real sealed value. */
function seal(personId, data) {
  const length = Math.ceil(((JSON.stringify(data).length + 28) * 4) / 3);
  return { personId, sealed: `v1.${randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length)}` };
}
const personOf = (person) => deterministicUuid('person', person.iin ?? person.fullName ?? 'anonymous');
const sealPerson = (person) => seal(personOf(person), person);

function resolveRefs(value, ids) {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, ids));
  if (value && typeof value === 'object') {
    if (typeof value.$ref === 'string' && Object.keys(value).length === 1) {
      const id = ids.get(value.$ref);
      if (!id) throw new Error(`unbound reference ${value.$ref}`);
      return id;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, ids)]));
  }
  return value;
}

/** One stream being generated: its state and last recorded event (for the hash chain and the next version). */
class StreamCursor {
  constructor(streamId, kind) {
    this.streamId = streamId;
    this.kind = kind;
    this.state = kind === 'case' ? initialCaseState : initialComplaintState;
    this.last = undefined;
    this.version = 0;
    this.recordedMs = 0;
  }
}

/**
 * Turns one planned request into recorded-shaped rows ({ streamId, streamVersion, id, type, data, metadata,
 * recordedAt }) the way the API would record it. Returns [] when the decider refuses (counted by the caller).
 */
function record(request, ids, streams, clock, providerSuffix = '') {
  let body = resolveRefs(request.body, ids);
  let actor = request.actor;
  if (providerSuffix) {
    if (actor.providerId) actor = { ...actor, providerId: actor.providerId + providerSuffix };
    if (typeof body.providerId === 'string') body = { ...body, providerId: body.providerId + providerSuffix };
  }
  const path = request.path.replace(/\{([^}]+)\}/g, (_, name) => ids.get(name) ?? name);
  const isComplaint = path.startsWith('/v1/complaints');
  const opening = path === '/v1/cases' || path === '/v1/complaints';
  let aggregateId;
  if (opening) aggregateId = deterministicUuid(isComplaint ? 'complaint' : 'case', actor.userId, request.key);
  else aggregateId = path.split('/')[3];
  const streamId = isComplaint ? complaintStreamId(aggregateId) : caseStreamId(aggregateId);
  let cursor = streams.get(streamId);
  if (!cursor) streams.set(streamId, (cursor = new StreamCursor(streamId, isComplaint ? 'complaint' : 'case')));
  // Recorded a few minutes after it happened, never before the stream's previous event.
  const recordedMs = Math.max(request.at + (2 + (clock.next() % 9)) * 60_000, cursor.recordedMs + 1);
  const nowIso = new Date(recordedMs).toISOString();
  const metadata = { actor, now: nowIso, ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}), correlationId: request.key };
  const { type, occurredAt: _occurredAt, ...rest } = body;
  let decided;
  if (!isComplaint) {
    let command;
    if (opening) {
      command = {
        type: 'SubmitApplication',
        metadata,
        data: {
          caseId: aggregateId,
          serviceCode: body.service,
          providerId: body.providerId,
          channel: body.channel,
          applicant: sealPerson(body.applicant),
          child: sealPerson(body.child),
          documents: body.documents,
          ...(body.grade !== undefined ? { grade: body.grade } : {}),
        },
      };
    } else if (type === 'CorrectAction') {
      const { applicant, child, ...values } = body.corrected.data ?? {};
      const data = { ...values, ...(applicant ? { applicant: sealPerson(applicant) } : {}), ...(child ? { child: sealPerson(child) } : {}) };
      command = { type, metadata, data: { correctedEventId: body.correctedEventId, reason: body.reason, corrected: { ...(body.corrected.occurredAt ? { occurredAt: body.corrected.occurredAt } : {}), ...(body.corrected.data ? { data } : {}) } } };
    } else {
      command = { type, data: rest, metadata };
    }
    const regulation =
      command.type === 'SubmitApplication' ? regulationFor(command.data.serviceCode, almatyDate(Date.parse(command.metadata.occurredAt ?? nowIso))).regulation : regulationById(cursor.state.regulationId);
    decided = decideCase(command, cursor.state, { regulation, clockSkewMs: CLOCK_SKEW_MS, newId: () => 'x' });
  } else {
    let command;
    if (opening) {
      const complainant = sealPerson(body.complainant);
      command = {
        type: 'FileComplaint',
        metadata,
        data: { complaintId: aggregateId, providerId: body.providerId, caseId: body.caseId ?? null, subject: body.subject, addressee: body.addressee, complainant, text: seal(complainant.personId, { text: body.text }) },
      };
    } else if (type === 'AnswerComplaint') {
      command = { type, metadata, data: { outcome: body.outcome, answer: seal(cursor.state.complainant.personId, { text: body.answer }) } };
    } else {
      command = { type, data: rest, metadata };
    }
    const terms = command.type === 'RegisterComplaint' ? complaintTermsFor(almatyDate(Date.parse(metadata.occurredAt ?? nowIso))) : listComplaintTerms().at(-1);
    decided = decideComplaint(command, cursor.state, { complaintTerms: terms, clockSkewMs: CLOCK_SKEW_MS, newId: () => 'x' });
  }
  if (decided.length === 0) return [];
  const requestHash = sha256(canonicalJson({ method: 'POST', path, body: request.body }));
  const withIds = decided.map((e, i) => ({
    ...e,
    id: deterministicUuid('event', actor.userId, request.key, streamId, String(i)),
    metadata: { ...e.metadata, idempotencyKey: request.key, requestHash },
  }));
  const chained = chainEvents(streamId, cursor.last, withIds);
  const evolve = cursor.kind === 'case' ? evolveCase : evolveComplaint;
  const rows = chained.map((e) => {
    cursor.version++;
    cursor.state = evolve(cursor.state, e);
    return { streamId, streamVersion: cursor.version, id: e.id, type: e.type, data: e.data, metadata: e.metadata, recordedAt: nowIso };
  });
  cursor.last = { streamVersion: cursor.version, metadata: chained[chained.length - 1].metadata };
  cursor.recordedMs = recordedMs;
  if (request.bind) ids.set(request.bind, aggregateId);
  ids.set(`event:${request.key}`, rows[0].id);
  return rows;
}

/**
 * Yields arrays of rows, one per planned chain (a case with its complaints, or a complaint), until
 * `maxEvents` rows or `maxCases` cases. Deterministic in everything but the sealed stand-ins. With
 * `cutBefore(request)`, a chain stops before the first request it accepts, and its array carries
 * `cut: { request, ids }` (the request and the ids bound by then, e.g. `ids.get('case')`). With `providerTag`,
 * each chunk's providers are renamed `<id>-<tag>c<chunk>`, and `onProviders(suffix)` hears of every suffix used.
 */
export function* generateHistory({ seed = 'bench', maxEvents = Infinity, maxCases = Infinity, casesPerChunk = 2000, now = new Date(), onRefused, cutBefore, providerTag, onProviders } = {}) {
  let events = 0;
  let cases = 0;
  const clock = xorshift();
  for (let chunk = 0; events < maxEvents && cases < maxCases; chunk++) {
    const plan = planSeed({ seed: `${seed}-${chunk}`, cases: casesPerChunk, now });
    const providerSuffix = providerTag ? `-${providerTag}c${chunk}` : '';
    if (providerSuffix) onProviders?.(providerSuffix);
    for (const chain of plan.chains) {
      if (events >= maxEvents || cases >= maxCases) return;
      const out = recordChain(chain, { clock, onRefused, cutBefore, providerSuffix });
      const take = Math.min(out.length, maxEvents - events);
      if (take <= 0) continue;
      if (chain.case) cases++;
      events += take;
      yield take < out.length ? Object.assign(out.slice(0, take), { cut: out.cut }) : out;
    }
  }
}

function xorshift(seed = 0x2545f491) {
  let x = seed;
  return {
    next() {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    },
  };
}

/**
 * The rows of one planned chain, recorded as the API would. `keySuffix` makes a copy of the chain with other
 * Idempotency-Keys, hence other case, complaint and event ids.
 */
export function recordChain(chain, { clock = xorshift(), onRefused, cutBefore, keySuffix = '', providerSuffix = '' } = {}) {
  const ids = new Map();
  const streams = new Map();
  const out = [];
  for (const original of chain.requests) {
    const request = keySuffix ? { ...original, key: original.key + keySuffix, body: renameRefs(original.body, keySuffix) } : original;
    if (cutBefore?.(request)) {
      // The chain ends here; the caller learns which request came next and the ids bound so far.
      out.cut = { request, ids };
      break;
    }
    let rows;
    try {
      rows = record(request, ids, streams, clock, providerSuffix);
    } catch (error) {
      if (error?.name !== 'DomainError') throw error;
      onRefused?.(request, error);
      break;
    }
    out.push(...rows);
  }
  return out;
}

/** `event:<key>` references follow the keys of a copied chain. */
function renameRefs(value, suffix) {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, suffix));
  if (value && typeof value === 'object') {
    if (typeof value.$ref === 'string' && value.$ref.startsWith('event:')) return { $ref: value.$ref + suffix };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameRefs(v, suffix)]));
  }
  return value;
}

/** COPY text format: backslash, tab, newline and carriage return escaped. */
function copyText(value) {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One line of `COPY ... (stream_id, stream_version, id, type, data, metadata, recorded_at) FROM STDIN`. */
export function copyLine(row) {
  return `${copyText(row.streamId)}\t${row.streamVersion}\t${row.id}\t${copyText(row.type)}\t${copyText(JSON.stringify(row.data))}\t${copyText(JSON.stringify(row.metadata))}\t${row.recordedAt}\n`;
}
