import { createHash } from 'node:crypto';
import type { NewEvent, RecordedEvent } from './event-store.js';

/**
 * Tamper evidence: every event carries `metadata.hash`, a SHA-256 over a canonical form of the event and
 * the previous event's hash in its stream (`metadata.prevHash`). Editing, removing or reordering a stored
 * event breaks the chain at that event. The hash covers what the writer decided (id, type, data, metadata,
 * stream and version), not what the store assigns afterwards (global position, recordedAt).
 */
export const HASH_ALGORITHM = 'sha256-canonical-json-v1';
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, no insignificant whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function withoutChain(metadata: NewEvent['metadata']): Record<string, unknown> {
  const { hash: _hash, prevHash: _prev, hashAlgorithm: _alg, ...rest } = metadata;
  return rest;
}

export function eventHash(streamId: string, streamVersion: number, event: Pick<NewEvent, 'id' | 'type' | 'data' | 'metadata'>, prevHash: string): string {
  const form = canonicalJson({ streamId, streamVersion, id: event.id, type: event.type, data: event.data, metadata: withoutChain(event.metadata), prevHash });
  return createHash('sha256').update(form).digest('hex');
}

/** Adds the chain to events about to be appended after `previous` (the stream's last event, or none). */
export function chainEvents(streamId: string, previous: Pick<RecordedEvent, 'streamVersion' | 'metadata'> | undefined, events: NewEvent[]): NewEvent[] {
  let prevHash = (previous?.metadata.hash as string | undefined) ?? GENESIS_HASH;
  let version = previous?.streamVersion ?? 0;
  return events.map((e) => {
    version++;
    const metadata = { ...(withoutChain(e.metadata) as NewEvent['metadata']), prevHash, hashAlgorithm: HASH_ALGORITHM };
    const hash = eventHash(streamId, version, { ...e, metadata }, prevHash);
    prevHash = hash;
    return { ...e, metadata: { ...metadata, hash } };
  });
}

export interface BrokenLink {
  eventId: string;
  streamId: string;
  streamVersion: number;
  position: string;
  type: string;
  reason: 'missing-hash' | 'hash-mismatch' | 'broken-link' | 'version-gap';
  detail: string;
}

export interface StreamVerification {
  streamId: string;
  ok: boolean;
  checked: number;
  lastHash: string | null;
  firstBroken: BrokenLink | null;
}

/** Incremental verifier: feed a stream's events in order (possibly in several batches). */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private version = 0;
  checked = 0;
  firstBroken: BrokenLink | null = null;

  constructor(readonly streamId: string) {}

  push(event: RecordedEvent): void {
    if (this.firstBroken) return;
    this.checked++;
    const broken = (reason: BrokenLink['reason'], detail: string) => {
      this.firstBroken = { eventId: event.id, streamId: this.streamId, streamVersion: event.streamVersion, position: event.position, type: event.type, reason, detail };
    };
    if (event.streamVersion !== this.version + 1) return broken('version-gap', `expected version ${this.version + 1}, found ${event.streamVersion}: an event is missing`);
    const stored = event.metadata.hash as string | undefined;
    const prev = event.metadata.prevHash as string | undefined;
    if (!stored || !prev) return broken('missing-hash', 'the event carries no hash');
    if (prev !== this.prevHash) return broken('broken-link', `prevHash ${prev.slice(0, 12)}… does not match the previous event's hash ${this.prevHash.slice(0, 12)}…`);
    const actual = eventHash(this.streamId, event.streamVersion, event, prev);
    if (actual !== stored) return broken('hash-mismatch', `the stored event does not match its hash (content changed after it was recorded)`);
    this.prevHash = stored;
    this.version = event.streamVersion;
  }

  result(): StreamVerification {
    return { streamId: this.streamId, ok: this.firstBroken === null, checked: this.checked, lastHash: this.firstBroken ? null : this.prevHash, firstBroken: this.firstBroken };
  }
}

export function verifyStream(streamId: string, events: RecordedEvent[]): StreamVerification {
  const v = new ChainVerifier(streamId);
  for (const e of events) v.push(e);
  return v.result();
}
