import { Inject, Injectable } from '@nestjs/common';
import type { ExistingCase } from '@sped/domain';
import { CaseStep, CaseSummary } from '@sped/read-models';
import { regulationById } from '@sped/regulations';
import { stepView } from './step-view.js';
import type { Actor } from '../auth/auth.js';
import { forbidden } from '../http/problem.js';
import { RUNTIME, type Runtime } from '../runtime.js';

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

@Injectable()
export class CaseQueries {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async getCase(id: string, actor: Actor, now = new Date()) {
    const row = await this.runtime.readModels.getRepository(CaseSummary).findOneBy({ caseId: id });
    if (!row) return null;
    assertCaseScope(actor, row);
    const regulation = regulationById(row.regulationId);
    const state = row.state;
    const schedule = this.runtime.providers.scheduleOf(row.providerId);
    const rows = await this.runtime.readModels.getRepository(CaseStep).find({ where: { caseId: id }, order: { stepOrder: 'ASC' } });
    const steps = rows.map((r) => stepView(r, now, schedule));
    return {
      id: row.caseId,
      service: row.serviceCode,
      providerId: row.providerId,
      channel: row.channel,
      regulation: regulation ? { id: regulation.id, title: regulation.title, source: regulation.source } : { id: row.regulationId },
      stage: row.stage,
      status: row.status,
      executorId: row.executorId,
      grade: state.grade,
      documents: state.documents,
      submittedAt: row.submittedAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      streamVersion: row.streamVersion,
      position: row.lastPosition,
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
