import type { DataSource } from 'typeorm';
import type { Projection } from '../projection.js';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every row of a table as JSON text, ordered by its primary key (by the whole row when it has none),
 * without the columns named in `exclude`.
 */
export async function tableRows(ds: DataSource, table: string, exclude: readonly string[] = []): Promise<string[]> {
  const keys: Array<{ name: string }> = await ds.query(
    `SELECT a.attname AS name
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary
      ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [ident(table)],
  );
  const rows: Array<{ row: string }> = await ds.query(
    `SELECT (to_jsonb(t) - $1::text[])::text AS row FROM ${ident(table)} t${keys.length ? ` ORDER BY ${keys.map((k) => `t.${ident(k.name)}`).join(', ')}` : ''}`,
    [exclude],
  );
  const out = rows.map((r) => r.row);
  return keys.length ? out : out.sort();
}

/** The full contents of every table the projections own, keyed `table`. */
export async function projectionTables(ds: DataSource, projections: readonly Projection[], exclude: Readonly<Record<string, readonly string[]>> = {}): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of projections) for (const t of p.tables) out[t] = await tableRows(ds, t, exclude[t] ?? []);
  return out;
}

/** Each projection's checkpoint: position and status. */
export async function checkpoints(ds: DataSource): Promise<Record<string, { position: string; status: string }>> {
  const rows: Array<{ name: string; position: string; status: string }> = await ds.query(`SELECT name, position::text AS position, status FROM projection_checkpoint ORDER BY name`);
  return Object.fromEntries(rows.map((r) => [r.name, { position: r.position, status: r.status }]));
}
