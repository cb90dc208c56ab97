import { PassThrough } from 'node:stream';
import { ANY, NO_STREAM, type AllStreamResolvedEvent, type AllStreamSubscription } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, type RecordedEvent } from '../event-store.js';
import {
  describeHost,
  pumpSubscription,
  toRevision,
  toStreamState,
  toStreamVersion,
  withTimeout,
  type SubscriptionPumpOptions,
} from './kurrentdb-internals.js';

/** Yields to the event loop until `condition` holds (bounded by the test timeout). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

interface FakeSubscription extends PassThrough {
  unsubscribed: boolean;
  unsubscribe(): Promise<void>;
}

function fakeSubscription(): FakeSubscription {
  const stream = new PassThrough({ objectMode: true, highWaterMark: 8 }) as FakeSubscription;
  stream.unsubscribed = false;
  stream.unsubscribe = async () => {
    stream.unsubscribed = true;
  };
  return stream;
}

function resolved(n: number): AllStreamResolvedEvent {
  return { event: { streamId: 'case-1', id: `id-${n}`, revision: BigInt(n) } } as unknown as AllStreamResolvedEvent;
}

function pump(source: FakeSubscription, overrides: Partial<SubscriptionPumpOptions> = {}) {
  return pumpSubscription(source as unknown as AllStreamSubscription, {
    map: (r) => ({ id: r.event?.id, streamVersion: Number(r.event?.revision) + 1 }) as RecordedEvent,
    batchSize: 10,
    highWaterMark: 20,
    signals: [],
    confirmWithinMs: 5000,
    host: 'kurrentdb:2113',
    release: () => source.unsubscribe(),
    ...overrides,
  });
}

describe('KurrentDB adapter', () => {
  describe('when mapping our expected versions to KurrentDB stream states', () => {
    it('maps version n to revision n-1, because our versions start at 1 and revisions at 0', () => {
      expect(toStreamState(1)).toBe(0n);
      expect(toStreamState(7)).toBe(6n);
    });

    it('maps version 0 to "the stream must not exist"', () => {
      expect(toStreamState(0)).toBe(NO_STREAM);
    });

    it("maps 'any' to no check", () => {
      expect(toStreamState('any')).toBe(ANY);
    });

    it('refuses negative and fractional versions', () => {
      expect(() => toStreamState(-1)).toThrow(RangeError);
      expect(() => toStreamState(1.5)).toThrow(RangeError);
    });

    it('maps a version to read from onto the matching revision', () => {
      expect(toRevision(1)).toBe(0n);
      expect(toRevision(12)).toBe(11n);
      expect(() => toRevision(0)).toThrow(RangeError);
    });
  });

  describe('when a conflict reports the actual stream state', () => {
    it('reports a missing stream as version 0', () => {
      expect(toStreamVersion('no_stream')).toBe(0);
    });

    it('reports revision r as version r+1', () => {
      expect(toStreamVersion(0n)).toBe(1);
      expect(toStreamVersion(41n)).toBe(42);
    });
  });

  describe('when naming the server in messages', () => {
    it('keeps the hosts and drops the credentials and options', () => {
      expect(describeHost('kurrentdb://admin:changeit@db1:2113,db2:2113?tls=true')).toBe('db1:2113,db2:2113');
      expect(describeHost('kurrentdb://kurrentdb:2113?tls=false')).toBe('kurrentdb:2113');
    });
  });

  describe('when a call does not settle in time', () => {
    it('rejects with EventStoreUnavailableError naming the call, the limit and the host', async () => {
      const never = new Promise<never>(() => undefined);
      await expect(withTimeout(never, 20, 'readStream case-1', 'db:2113')).rejects.toThrow(
        new EventStoreUnavailableError('KurrentDB did not answer readStream case-1 within 20 ms at db:2113'),
      );
    });

    it('passes a timely answer or failure through unchanged', async () => {
      await expect(withTimeout(Promise.resolve(42), 1000, 'x', 'db')).resolves.toBe(42);
      await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x', 'db')).rejects.toThrow('boom');
    });
  });

  describe('when a subscription delivers faster than the consumer pulls', () => {
    it('pauses the client stream, then resumes it and delivers every event in order', async () => {
      const source = fakeSubscription();
      const batches = pump(source);
      const first = batches.next();
      source.emit('confirmation');
      for (let n = 0; n < 200; n += 1) source.write(resolved(n));
      await first;
      await until(() => source.isPaused());
      // The backlog stays in the client stream (and behind it, on the server), not in our buffer.
      expect(source.readableLength + source.writableLength).toBeGreaterThan(150);

      const seen: string[] = (await first).value?.map((e) => e.id) ?? [];
      const sizes: number[] = [];
      while (seen.length < 200) {
        const { value } = await batches.next();
        sizes.push(value?.length ?? 0);
        seen.push(...(value ?? []).map((e) => e.id));
      }
      await batches.return(undefined);

      expect(seen).toEqual(Array.from({ length: 200 }, (_, n) => `id-${n}`));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
      expect(source.isPaused()).toBe(false);
    });

    it('ends when the caller aborts, and cancels the server call', async () => {
      const source = fakeSubscription();
      const abort = new AbortController();
      const batches = pump(source, { signals: [abort.signal] });
      source.emit('confirmation');
      source.write(resolved(0));
      const received: RecordedEvent[][] = [];
      for await (const batch of batches) {
        received.push(batch);
        abort.abort();
      }
      expect(received).toHaveLength(1);
      expect(source.unsubscribed).toBe(true);
    });

    it('fails with EventStoreUnavailableError when the connection drops', async () => {
      const source = fakeSubscription();
      const batches = pump(source);
      source.emit('confirmation');
      const next = batches.next();
      source.emit('error', Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }));
      await expect(next).rejects.toThrow(EventStoreUnavailableError);
      expect(source.unsubscribed).toBe(true);
    });

    it('fails with EventStoreUnavailableError when the server never confirms the subscription', async () => {
      const source = fakeSubscription();
      const batches = pump(source, { confirmWithinMs: 20 });
      await expect(batches.next()).rejects.toThrow('KurrentDB did not answer subscribe within 20 ms at kurrentdb:2113');
    });
  });
});
