import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from './event-store.js';
import { canonicalJson, chainEvents, GENESIS_HASH, verifyStream } from './hash-chain.js';

const STREAM = 'case-2f1d7c8e-0000-4000-8000-000000000001';
const newEvent = (type: string, data: unknown): NewEvent => ({ id: randomUUID(), type, data, metadata: { actor: { role: 'clerk', userId: 'u1', providerId: 'p1' }, occurredAt: '2021-09-06T03:00:00.000Z' } });

/** What the store gives back: versions, positions, recordedAt added; jsonb may reorder keys. */
function record(events: NewEvent[], from = 0): RecordedEvent[] {
  return events.map((e, i) => ({ ...JSON.parse(JSON.stringify(e)), streamId: STREAM, streamVersion: from + i + 1, position: String(100 + from + i), recordedAt: new Date().toISOString() }));
}

function chained(): RecordedEvent[] {
  const first = record(chainEvents(STREAM, undefined, [newEvent('ApplicationSubmitted', { serviceCode: 'home-education', documents: [{ kind: 'a' }] })]));
  const rest = record(chainEvents(STREAM, first[0], [newEvent('DocumentsAccepted', { journalNumber: 'J-1' }), newEvent('SentToHead', {})]), 1);
  return [...first, ...rest];
}

describe('Hash chain of a stream', () => {
  it('links every event to the previous one, from the genesis hash', () => {
    const events = chained();
    expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
    expect(verifyStream(STREAM, events)).toMatchObject({ ok: true, checked: 3, firstBroken: null });
  });

  it('does not depend on the key order the database returns', () => {
    const events = chained().map((e) => ({ ...e, data: Object.fromEntries(Object.entries(e.data as object).reverse()), metadata: Object.fromEntries(Object.entries(e.metadata).reverse()) as RecordedEvent['metadata'] }));
    expect(verifyStream(STREAM, events).ok).toBe(true);
  });

  it('names the first event whose content was changed', () => {
    const events = chained();
    (events[1].data as { journalNumber: string }).journalNumber = 'J-999';
    expect(verifyStream(STREAM, events).firstBroken).toMatchObject({ eventId: events[1].id, streamVersion: 2, reason: 'hash-mismatch' });
  });

  it('notices a changed actor or occurrence time', () => {
    const events = chained();
    events[2].metadata = { ...events[2].metadata, occurredAt: '2021-09-05T03:00:00.000Z' };
    expect(verifyStream(STREAM, events).firstBroken).toMatchObject({ eventId: events[2].id, reason: 'hash-mismatch' });
  });

  it('notices a removed event', () => {
    const events = chained();
    expect(verifyStream(STREAM, [events[0], events[2]]).firstBroken).toMatchObject({ eventId: events[2].id, reason: 'version-gap' });
  });

  it('notices an event replaced by a re-hashed forgery that no longer links', () => {
    const events = chained();
    const [forged] = record(chainEvents(STREAM, undefined, [newEvent('DocumentsAccepted', { journalNumber: 'FORGED' })]), 1);
    expect(verifyStream(STREAM, [events[0], forged, events[2]]).firstBroken).toMatchObject({ eventId: forged.id, reason: 'broken-link' });
  });

  it('reports an event written without a hash', () => {
    const events = record([newEvent('ApplicationSubmitted', {})]);
    expect(verifyStream(STREAM, events).firstBroken).toMatchObject({ reason: 'missing-hash' });
  });

  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined } })).toBe('{"a":{"d":[1,"x"]},"b":1}');
  });
});
