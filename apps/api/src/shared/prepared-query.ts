import type { DataSource } from 'typeorm';

interface PgClient {
  query<R>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

/** Data sources whose connections share one server session (embedded PGlite): named statements collide there. */
const sharedSession = new WeakSet<DataSource>();

/**
 * Runs a statement as a named prepared statement on a pooled read-model connection: each connection parses
 * and plans it once, then only executes it. For the hot reads (a case, a workload), whose planning costs
 * about as much as their execution. `name` must be unique to `text` (pg keeps them per connection).
 *
 * PGlite serves every connection from one session, where a second connection preparing the same name is
 * refused (42P05); from then on this data source's statements go unnamed, as TypeORM sends them.
 * Errors are pg's own (with its `code`), which the problem mapping treats like TypeORM's.
 */
export async function preparedQuery<R>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<R[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    if (sharedSession.has(dataSource)) return (await client.query<R>({ text, values })).rows;
    try {
      return (await client.query<R>({ name, text, values })).rows;
    } catch (error) {
      if ((error as { code?: string }).code !== '42P05') throw error;
      sharedSession.add(dataSource);
      return (await client.query<R>({ text, values })).rows;
    }
  } finally {
    await runner.release();
  }
}
