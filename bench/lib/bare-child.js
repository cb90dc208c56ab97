// Child process: a bare Fastify server with one route, POST /bare/:id, that does what the API's command path
// ends in, one single-row INSERT of an event into event_store.events (a new stream per request, so there is
// no version to read), with a pg pool of the event store's size (10). The event is the size of the API's.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
const template = JSON.parse(process.env.BARE_EVENT_TEMPLATE);
const INSERT = 'INSERT INTO event_store.events (stream_id, stream_version, id, type, data, metadata) VALUES ($1, 1, $2, $3, $4, $5) RETURNING position::text AS position';

app.post('/bare/:id', async (request, reply) => {
  const { id } = request.params;
  const id2 = randomUUID();
  const data = { ...template.data, ...request.body };
  const metadata = { ...template.metadata, occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), idempotencyKey: request.headers['idempotency-key'] ?? null };
  const { rows } = await pool.query(INSERT, [`bare-${id}-${id2}`, id2, template.type, JSON.stringify(data), JSON.stringify(metadata)]);
  reply.status(201).send({ id, streamVersion: 1, position: rows[0].position, events: [{ id: id2, type: template.type, data, metadata }] });
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
const close = async () => {
  await app.close().catch(() => undefined);
  await pool.end().catch(() => undefined);
  process.exit(0);
};
process.on('message', (m) => m === 'close' && close());
process.on('SIGTERM', close);
process.send({ url: address });
