import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
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
      if (toSave.length) await repo.save(toSave, { reload: false });
      if (toDelete.length) await repo.delete({ [spec.key]: In(toDelete) } as never);
    },
  };
}
