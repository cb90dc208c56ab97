import { Inject, Injectable } from '@nestjs/common';
import type { ExistingCase } from '@sped/domain';
import { regulationById } from '@sped/regulations';
import { stepView, type StepFacts } from './step-view.js';
import type { Actor } from '../auth/auth.js';
import { forbidden } from '../http/problem.js';
import { RUNTIME, type Runtime } from '../runtime.js';
import { preparedQuery } from '../shared/prepared-query.js';
import { CASE_WITH_STEPS } from '../shared/read-statements.js';
import { normOf } from '../shared/step-norm.js';

/** Roles that may read the personal data of a case they may see. */
const PERSONAL_DATA_READERS = new Set(['clerk', 'head', 'executor', 'director', 'investigator', 'applicant']);
const PROVIDER_SCOPED = new Set(['clerk', 'head', 'executor', 'director']);

/** 403 unless the actor may see this case: provider roles their own provider's, applicants their own. */
export function assertCaseScope(actor: Actor, row: { providerId: string; state: ExistingCase }) {
  if (PROVIDER_SCOPED.has(actor.role) && actor.providerId !== row.providerId) {
    throw forbidden('PROVIDER_MISMATCH', `A ${actor.role} of ${actor.providerId} may not see cases of another provider.`);
  }
  if (actor.role === 'applicant' && row.state.submittedBy.userId !== actor.userId) {
    throw forbidden('NOT_OWN_APPLICATION', 'An applicant may see only their own applications.');
  }
}


type StepJson = Omit<StepFacts, 'startedAt' | 'dueAt' | 'earliestAt' | 'completedAt'> & { startedAt: number | null; dueAt: number | null; earliestAt: number | null; completedAt: number | null };

interface CaseRow {
  case_id: string;
  service_code: string;
  provider_id: string;
  channel: string;
  regulation_id: string;
  stage: string;
  status: string;
  executor_id: string | null;
  submitted_at: Date;
  updated_at: Date;
  stream_version: number;
  last_position: string;
  state: ExistingCase;
  steps: StepJson[];
}

const date = (v: number | null) => (v === null ? null : new Date(v));

@Injectable()
export class CaseQueries {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async getCase(id: string, actor: Actor, now = new Date()) {
    const [row] = await preparedQuery<CaseRow>(this.runtime.readModels, 'sped-get-case', CASE_WITH_STEPS, [id]);
    if (!row) return null;
    const state = row.state;
    assertCaseScope(actor, { providerId: row.provider_id, state });
    const regulation = regulationById(row.regulation_id);
    const schedule = this.runtime.providers.scheduleOf(row.provider_id);
    const steps = row.steps.map((s) =>
      stepView({ ...s, startedAt: date(s.startedAt), dueAt: date(s.dueAt), earliestAt: date(s.earliestAt), completedAt: date(s.completedAt) }, normOf(row.regulation_id, row.service_code, s.stepId), now, schedule),
    );
    return {
      id: row.case_id,
      service: row.service_code,
      providerId: row.provider_id,
      channel: row.channel,
      regulation: regulation ? { id: regulation.id, title: regulation.title, source: regulation.source } : { id: row.regulation_id },
      stage: row.stage,
      status: row.status,
      executorId: row.executor_id,
      grade: state.grade,
      documents: state.documents,
      submittedAt: row.submitted_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      streamVersion: row.stream_version,
      position: row.last_position,
      steps,
      actions: state.actions.map((a) => ({ eventId: a.eventId, type: a.type, stepId: a.stepId, occurredAt: a.occurredAt, recordedAt: a.recordedAt, actor: a.actor, values: a.values, corrections: a.corrections })),
      personalData: PERSONAL_DATA_READERS.has(actor.role) ? await this.personalData(state) : undefined,
    };
  }

  private async personalData(state: ExistingCase) {
    const open = async (p: { personId: string; sealed: string | null }) =>
      p.sealed === null ? { personId: p.personId, erased: true } : { personId: p.personId, ...(await this.runtime.vault.open({ personId: p.personId, sealed: p.sealed })) };
    return { applicant: await open(state.applicant), child: await open(state.child) };
  }
}
