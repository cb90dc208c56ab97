import type { DataSource } from 'typeorm';
import { deterministicUuid, executeCommand, type EventStore } from '@sped/event-store';
import {
  caseStreamId,
  complaintStreamId,
  decideCase,
  decideComplaint,
  DomainError,
  foldCase,
  foldComplaint,
  type Actor,
  type CaseEvent,
  type CaseState,
  type ComplaintState,
  type ComplaintEvent,
} from '@sped/domain';
import { listComplaintTerms, regulationById } from '@sped/regulations';
import type { RunnerLogger } from './projection.runner.js';

const SYSTEM: Actor = { role: 'system', userId: 'deadline-sweeper', providerId: null };

export interface SweepResult {
  recorded: number;
  skipped: number;
}

/**
 * Deadlines pass with time, not only with events: this records a `DeadlinePassed` event (system actor)
 * when a step's or a complaint's term expires while it is still open. It finds candidates in the read
 * models; the decider decides (a repeat is a no-op) and the event id is derived from the step or
 * registration, so two sweepers, a retry or a lagging read model still record it exactly once.
 */
export class DeadlineSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly db: DataSource,
    private readonly logger: RunnerLogger,
    private readonly options: { intervalMs?: number; batchSize?: number; clockSkewMs?: number; now?: () => Date } = {},
  ) {}

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.sweepOnce().catch((error) => this.logger.warn({ err: String(error) }, 'deadline sweep failed; will retry'));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 60_000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Records every expired term found now. Candidates are walked in (due, case, step) order in batches, so a
   * backlog (after an outage or an import) is worked off in one sweep and no candidate is asked twice.
   */
  async sweepOnce(): Promise<SweepResult> {
    const now = this.options.now?.() ?? new Date();
    const limit = this.options.batchSize ?? 500;
    const result: SweepResult = { recorded: 0, skipped: 0 };
    let cursor: { due: Date; caseId: string; stepId: string } | null = null;
    while (!this.stopped) {
      const steps = (await this.db.query(
        `SELECT case_id, step_id, due_at FROM case_step
          WHERE status = 'open' AND NOT deadline_recorded AND due_at <= $1
            AND ($3::timestamptz IS NULL OR (due_at, case_id, step_id) > ($3::timestamptz, $4::uuid, $5::text))
          ORDER BY due_at, case_id, step_id LIMIT $2`,
        [now, limit, cursor?.due ?? null, cursor?.caseId ?? null, cursor?.stepId ?? null],
      )) as Array<{ case_id: string; step_id: string; due_at: Date }>;
      for (const s of steps) await this.record(result, () => this.recordStep(s.case_id, s.step_id, new Date(s.due_at), now));
      if (steps.length < limit) break;
      const last = steps[steps.length - 1];
      cursor = { due: new Date(last.due_at), caseId: last.case_id, stepId: last.step_id };
    }
    const complaints = (await this.db.query(
      `SELECT complaint_id, due_at FROM complaint_register WHERE status = 'registered' AND NOT deadline_recorded AND due_at <= $1 ORDER BY due_at`,
      [now],
    )) as Array<{ complaint_id: string; due_at: Date }>;
    for (const c of complaints) await this.record(result, () => this.recordComplaint(c.complaint_id, new Date(c.due_at), now));
    if (result.recorded) this.logger.info({ ...result }, 'deadline sweep recorded expired terms');
    return result;
  }

  private async record(result: SweepResult, work: () => Promise<number>) {
    try {
      const n = await work();
      if (n) result.recorded += n;
      else result.skipped++;
    } catch (error) {
      // The read model can lag the stream (the step was just completed): the decider then refuses, rightly.
      if (error instanceof DomainError) {
        result.skipped++;
        return;
      }
      throw error;
    }
  }

  private async recordStep(caseId: string, stepId: string, dueAt: Date, now: Date): Promise<number> {
    const streamId = caseStreamId(caseId);
    const r = await executeCommand<CaseState>({
      store: this.store,
      aggregateId: caseId,
      streamId,
      fold: (events, state) => foldCase(events as unknown as CaseEvent[], state),
      decide: (state) => {
        if (state.status === 'none') return [];
        const regulation = regulationById(state.regulationId);
        if (!regulation) return [];
        return decideCase({ type: 'RecordDeadlinePassed', data: { stepId, dueAt: dueAt.toISOString() }, metadata: { actor: SYSTEM, now: now.toISOString() } }, state, {
          regulation,
          clockSkewMs: this.options.clockSkewMs ?? 120_000,
          newId: () => deterministicUuid('deadline', streamId, stepId),
        });
      },
    });
    return r.events.length;
  }

  private async recordComplaint(complaintId: string, dueAt: Date, now: Date): Promise<number> {
    const streamId = complaintStreamId(complaintId);
    const terms = listComplaintTerms();
    const r = await executeCommand<ComplaintState>({
      store: this.store,
      aggregateId: complaintId,
      streamId,
      fold: (events, state) => foldComplaint(events as unknown as ComplaintEvent[], state),
      decide: (state) => {
        if (state.status !== 'registered') return [];
        return decideComplaint({ type: 'RecordReviewTermPassed', data: { dueAt: dueAt.toISOString() }, metadata: { actor: SYSTEM, now: now.toISOString() } }, state, {
          complaintTerms: terms[terms.length - 1],
          clockSkewMs: this.options.clockSkewMs ?? 120_000,
          newId: () => deterministicUuid('deadline', streamId, state.registrations.at(-1)?.eventId ?? ''),
        });
      },
    });
    return r.events.length;
  }
}
