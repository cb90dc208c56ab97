import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '../event-store.contract.js';
import { EventStoreUnavailableError, type NewEvent } from '../event-store.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

const url = process.env['KURRENTDB_URL'];

if (url) {
  // A fresh namespace per run: earlier runs' events on the same server stay out of this run's $all.
  const namespace = `test-${randomUUID().slice(0, 8)}-`;
  eventStoreContract('KurrentDB', async () => {
    const store = new KurrentDbEventStore(url, {
      namespace,
      streamPrefixes: ['contract-', 'race-', 'shared-', 'many-', 'held-'],
    });
    return { store, teardown: () => store.close() };
  });
} else {
  console.warn('[kurrentdb] contract suite skipped: KURRENTDB_URL is not set');
}

function newEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: 'DocumentsAccepted',
    data: { caseId: 'c1' },
    metadata: { actor: { role: 'clerk', userId: 'u1' }, occurredAt: '2025-03-03T04:00:00.000Z' },
  };
}

/** A TCP server that accepts connections and never says a word: what a wedged server looks like. */
async function muteServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('KurrentDB adapter', () => {
  describe('when the server accepts connections but never answers', () => {
    let server: Awaited<ReturnType<typeof muteServer>>;
    let store: KurrentDbEventStore;
    let host: string;

    beforeEach(async () => {
      server = await muteServer();
      host = `127.0.0.1:${server.port}`;
      store = new KurrentDbEventStore(`kurrentdb://${host}?tls=false`, { callTimeoutMs: 300 });
    });

    afterEach(async () => {
      await store.close();
      await server.stop();
    });

    it('gives up on an append after its own timeout and says so', async () => {
      await expect(store.append('case-1', [newEvent()], { expectedVersion: 0 })).rejects.toThrow(
        new EventStoreUnavailableError(`KurrentDB did not answer append to case-1 within 300 ms at ${host}`),
      );
    });

    it('gives up on reads after its own timeout and says so', async () => {
      await expect(store.readStream('case-1')).rejects.toThrow(`KurrentDB did not answer readStream case-1 within 300 ms at ${host}`);
      await expect(store.streamVersion('case-1')).rejects.toThrow(EventStoreUnavailableError);
      await expect(store.readAll({ after: '0', limit: 10 })).rejects.toThrow(`KurrentDB did not answer readAll within 300 ms at ${host}`);
      await expect(store.headPosition()).rejects.toThrow(EventStoreUnavailableError);
    });

    it('gives up on a subscription the server never confirms', async () => {
      const batches = store.subscribe({ after: '0' })[Symbol.asyncIterator]();
      await expect(batches.next()).rejects.toThrow(`KurrentDB did not answer subscribe within 300 ms at ${host}`);
    });

    it('reports itself unhealthy instead of hanging', async () => {
      const health = await store.health();
      expect(health).toMatchObject({ ok: false, adapter: 'kurrentdb' });
      expect(health.detail).toContain(`within 300 ms at ${host}`);
    });
  });

  describe('when nothing listens at the address', () => {
    let store: KurrentDbEventStore;
    let host: string;

    beforeEach(async () => {
      host = `127.0.0.1:${await closedPort()}`;
      store = new KurrentDbEventStore(`kurrentdb://${host}?tls=false`, { callTimeoutMs: 2000 });
    });

    afterEach(() => store.close());

    it('fails appends and reads with EventStoreUnavailableError naming the host', async () => {
      await expect(store.append('case-1', [newEvent()], { expectedVersion: 'any' })).rejects.toThrow(EventStoreUnavailableError);
      await expect(store.readStream('case-1')).rejects.toThrow(host);
      await expect(store.readAll()).rejects.toThrow(EventStoreUnavailableError);
    });
  });

  describe('when a stream is outside the configured prefixes', () => {
    it('refuses to append, because readAll and subscriptions would never see it', async () => {
      const store = new KurrentDbEventStore('kurrentdb://127.0.0.1:1?tls=false', { streamPrefixes: ['case-'] });
      await expect(store.append('order-1', [newEvent()], { expectedVersion: 0 })).rejects.toThrow(
        'Stream order-1 does not start with one of case-',
      );
      await store.close();
    });
  });
});
