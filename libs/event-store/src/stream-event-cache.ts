import type { EventStore, RecordedEvent } from './event-store.js';

export interface StreamEventCacheStats {
  streams: number;
  events: number;
  /** Reads served from kept events (with one read of the stream's newer events, usually none). */
  hits: number;
  /** Reads of a whole stream. */
  misses: number;
}

/**
 * The recorded events of recently read streams, kept in memory. A stream is append-only and its events never
 * change, so a kept stream is brought up to date by reading only the events after its last kept version: one
 * cheap query instead of reading (and parsing) the whole stream again. For readers that replay the same
 * stream many times (an investigator moving through a case's history). Bounded by the number of events kept;
 * least recently used streams go first. Not for verification: `verifyStream` must read what the store holds.
 */
export class StreamEventCache {
  private readonly streams = new Map<string, readonly RecordedEvent[]>();
  private kept = 0;
  private readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    readonly maxEvents = 50_000,
  ) {
    if (!Number.isInteger(maxEvents) || maxEvents < 0) throw new RangeError(`maxEvents must be a whole number >= 0, got ${maxEvents}`);
  }

  /** The stream's events in version order, as the store holds them now (a new array each call). */
  async read(streamId: string): Promise<RecordedEvent[]> {
    const known = this.streams.get(streamId);
    if (!known) {
      this.stats.misses++;
      const events = await this.store.readStream(streamId);
      this.keep(streamId, events);
      return events.slice();
    }
    this.stats.hits++;
    const newer = await this.store.readStream(streamId, { fromVersion: known.length + 1 });
    const current = this.streams.get(streamId);
    // Versions run 1, 2, 3 …: kept events are exactly versions 1..length. Another read may have kept more meanwhile.
    const events = newer.length === 0 ? known : newer[0].streamVersion === known.length + 1 ? known.concat(newer) : await this.store.readStream(streamId);
    if (!current || current.length <= events.length) this.keep(streamId, events);
    return events.slice();
  }

  snapshotStats(): StreamEventCacheStats {
    return { streams: this.streams.size, events: this.kept, ...this.stats };
  }

  private keep(streamId: string, events: readonly RecordedEvent[]): void {
    const before = this.streams.get(streamId);
    if (before) {
      this.streams.delete(streamId);
      this.kept -= before.length;
    }
    if (events.length === 0 || events.length > this.maxEvents) return;
    this.streams.set(streamId, events);
    this.kept += events.length;
    for (const [id, list] of this.streams) {
      if (this.kept <= this.maxEvents) break;
      this.streams.delete(id);
      this.kept -= list.length;
    }
  }
}
