import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { In } from 'typeorm';
import type { RecordedEvent } from '@sped/event-store';

/** A read model's writer: applies a batch inside the transaction that also moves its checkpoint. */
export interface Projection {
  readonly name: string;
  /**
   * Every read-model table this projection writes (and reads), unqualified, e.g. `['case_summary']`.
   * Required: a rebuild builds exactly these tables anew from position 0 and swaps them in; the projection
   * must touch no other table (during a rebuild any other table is out of reach and fails the rebuild).
   */
  readonly tables: readonly [string, ...string[]];
  apply(manager: EntityManager, events: RecordedEvent[]): Promise<void>;
}

/** A row kept by a keyed projection remembers the last event it has seen, so redelivery changes nothing. */
export interface PositionedRow extends ObjectLiteral {
  lastPosition: string;
}

export interface KeyedProjectionSpec<Row extends PositionedRow> {
  name: string;
  /** The entity's table (see `Projection.tables`). */
  tables: readonly [string, ...string[]];
  entity: EntityTarget<Row>;
  /** The primary-key property of the row. */
  key: keyof Row & string;
  /** Which row an event concerns; null when the projection ignores it. */
  keyOf(event: RecordedEvent): string | null;
  /** Pure: the row after the event (null = no row). Must not throw for events it does not know. */
  evolve(row: Row | null, event: RecordedEvent): Row | null;
}

export function isAfter(position: string, than: string | null | undefined): boolean {
  return than == null || BigInt(position) > BigInt(than);
}

/** Folds an event into a row unless the row has already seen it. */
export function applyOnce<Row extends PositionedRow>(
  evolve: (row: Row | null, event: RecordedEvent) => Row | null,
  row: Row | null,
  event: RecordedEvent,
): Row | null {
  if (row && !isAfter(event.position, row.lastPosition)) return row;
  const next = evolve(row, event);
  return next ? { ...next, lastPosition: event.position } : null;
}

/** The thin writer around a pure keyed `evolve`: load the touched rows, fold, write back. */
export function keyedProjection<Row extends PositionedRow>(spec: KeyedProjectionSpec<Row>): Projection & { spec: KeyedProjectionSpec<Row> } {
  return {
    name: spec.name,
    tables: spec.tables,
    spec,
    async apply(manager, events) {
      const byKey = new Map<string, RecordedEvent[]>();
      for (const event of events) {
        const key = spec.keyOf(event);
        if (key === null) continue;
        const list = byKey.get(key);
        if (list) list.push(event);
        else byKey.set(key, [event]);
      }
      if (byKey.size === 0) return;
      const repo = manager.getRepository(spec.entity);
      const existing = await repo.findBy({ [spec.key]: In([...byKey.keys()]) } as never);
      const rows = new Map<string, Row>(existing.map((r) => [String(r[spec.key]), r]));
      const toSave: Row[] = [];
      const toDelete: string[] = [];
      for (const [key, list] of byKey) {
        const before = rows.get(key) ?? null;
        let row = before;
        for (const event of list) row = applyOnce(spec.evolve, row, event);
        if (row) toSave.push(row);
        else if (before) toDelete.push(key);
      }
      if (toSave.length) await writeRows(manager, spec.entity, toSave, 'upsert');
      if (toDelete.length) await repo.delete({ [spec.key]: In(toDelete) } as never);
    },
  };
}

/**
 * insert: plain INSERT (a clash is an error) · upsert: INSERT ... ON CONFLICT (primary key) DO UPDATE ·
 * ignore: INSERT ... ON CONFLICT DO NOTHING.
 */
export type WriteMode = 'insert' | 'upsert' | 'ignore';

type ColumnMetadata = EntityMetadata['columns'][number];

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const UNSUPPORTED = new Set(['simple-json', 'simple-array', 'simple-enum', 'enum']);

function sqlType(manager: EntityManager, column: ColumnMetadata): string {
  const type = manager.connection.driver.normalizeType(column);
  if (column.transformer || UNSUPPORTED.has(String(column.type)) || !type) {
    throw new Error(`writeRows cannot write column ${column.entityMetadata.name}.${column.propertyName} (type ${String(column.type)}${column.transformer ? ', with a transformer' : ''})`);
  }
  return column.isArray ? `${type}[]` : type;
}

/** The statement for one entity, mode and set of columns, built once. */
const statementCache = new WeakMap<EntityMetadata, Map<string, string>>();

function writeStatement(manager: EntityManager, metadata: EntityMetadata, columns: ColumnMetadata[], mode: WriteMode): string {
  let cache = statementCache.get(metadata);
  if (!cache) statementCache.set(metadata, (cache = new Map()));
  const key = `${mode}:${columns.map((c) => c.databaseName).join(',')}`;
  let sql = cache.get(key);
  if (sql) return sql;
  // Unqualified unless the entity names a schema: a rebuild steers unqualified names through search_path.
  const table = metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName);
  const names = columns.map((c) => quote(c.databaseName)).join(', ');
  const record = columns.map((c) => `${quote(c.databaseName)} ${sqlType(manager, c)}`).join(', ');
  sql = `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_to_recordset($1::json) AS x(${record})`;
  if (mode === 'ignore') sql += ' ON CONFLICT DO NOTHING';
  if (mode === 'upsert') {
    const keys = metadata.primaryColumns.map((c) => quote(c.databaseName));
    const rest = columns.filter((c) => !c.isPrimary).map((c) => `${quote(c.databaseName)} = EXCLUDED.${quote(c.databaseName)}`);
    sql += ` ON CONFLICT (${keys.join(', ')}) ${rest.length ? `DO UPDATE SET ${rest.join(', ')}` : 'DO NOTHING'}`;
  }
  cache.set(key, sql);
  return sql;
}

/**
 * Writes many rows of an entity in one statement per set of columns (the rows travel as one JSON parameter).
 * A property left undefined is left out, as TypeORM's `save` does: the column default on insert, the stored
 * value on update. Instead of `repository.save`, which loads every row again and then updates them one
 * statement each: in a projection's batch that was most of the time of a rebuild.
 */
export async function writeRows<Row extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<Row>, rows: readonly Row[], mode: WriteMode = 'upsert'): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(entity);
  if (mode === 'upsert' && metadata.primaryColumns.length === 0) throw new Error(`writeRows: ${metadata.name} has no primary key to upsert on`);
  const columns = metadata.columns.filter((c) => !c.isVirtual);
  const groups = new Map<string, { columns: ColumnMetadata[]; records: Array<Record<string, unknown>> }>();
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    let signature = '';
    for (const c of columns) {
      const value = c.getEntityValue(row);
      if (value === undefined) {
        signature += '0';
        continue;
      }
      signature += '1';
      record[c.databaseName] = value;
    }
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { columns: columns.filter((_, i) => signature[i] === '1'), records: [] }));
    group.records.push(record);
  }
  for (const group of groups.values()) {
    await manager.query(writeStatement(manager, metadata, group.columns, mode), [JSON.stringify(group.records)]);
  }
}
