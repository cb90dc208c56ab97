import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@sped/event-store/testing';
import { createReadModelDataSource } from '@sped/read-models';
import { preparedQuery } from './prepared-query.js';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('prepared');
  // One connection, so that what one call leaves in the session is what the next one finds.
  ds = createReadModelDataSource({ url: db.connectionString, poolSize: 1 });
  await ds.initialize();
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const prepared = async () => ((await ds.query('SELECT name FROM pg_prepared_statements ORDER BY name')) as Array<{ name: string }>).map((r) => r.name);

describe('preparedQuery', () => {
  it('prepares a statement once on a connection and runs it again from there', async () => {
    expect(await preparedQuery(ds, 'sped-test-add', 'SELECT $1::int + 1 AS n', [1])).toEqual([{ n: 2 }]);
    expect(await prepared()).toContain('sped-test-add');
    expect(await preparedQuery(ds, 'sped-test-add', 'SELECT $1::int + 1 AS n', [41])).toEqual([{ n: 42 }]);
    expect((await prepared()).filter((n) => n === 'sped-test-add')).toHaveLength(1);
  });

  it('runs statements unnamed once the session already holds the name (a session shared by connections, as PGlite has)', async () => {
    // Another connection of a shared session prepared the name: this connection's client does not know it.
    await ds.query(`PREPARE "sped-test-shared" AS SELECT 0 AS n`);
    expect(await preparedQuery(ds, 'sped-test-shared', 'SELECT $1::int * 2 AS n', [21])).toEqual([{ n: 42 }]);
    expect(await preparedQuery(ds, 'sped-test-other', 'SELECT $1::int * 3 AS n', [2])).toEqual([{ n: 6 }]);
    expect(await prepared()).not.toContain('sped-test-other');
  });

  it('passes other errors on with their code', async () => {
    await expect(preparedQuery(ds, 'sped-test-bad', 'SELECT 1 / $1::int AS n', [0])).rejects.toMatchObject({ code: '22012' });
  });
});
