/** The shapes the dashboard reads from the public API (only the fields it uses). */

export type Localized = { kk: string; ru: string; en: string };

export interface LegalSource {
  issuer?: string;
  document: string;
  number?: string;
  date?: string;
  appendix?: string;
  paragraph?: string;
  note?: string;
}

export type NormUnit = 'minutes' | 'hours' | 'calendar-days' | 'working-days';
export type Norm =
  | { kind: 'limit'; amount: number; unit: NormUnit; source: LegalSource; regulationId?: string }
  | { kind: 'window'; min: number; max: number; unit: NormUnit; source: LegalSource; regulationId?: string }
  | { kind: 'none'; note: string; source: LegalSource; regulationId?: string };

export interface Amount {
  amount: number;
  unit: 'minutes' | 'working-days' | 'calendar-days';
}

export interface Actor {
  userId: string;
  role: string;
  providerId: string | null;
}

export interface Me extends Actor {
  provider: { id: string; name: Localized } | null;
}

export interface ProviderInfo {
  id: string;
  name: Localized;
  kind: string;
  region: string;
  services: string[];
}

export interface SummaryRow {
  providerId?: string;
  service?: string;
  stepId?: string;
  month?: string;
  cases: number;
  steps: number;
  completed: number;
  onTime: number;
  onTimeShare: number | null;
  breaches: number;
  lateOrOutsideWindow: number;
  overdueNow: number;
  open: number;
  notJudged: number;
}

export interface Summary {
  asOf: string;
  groupBy: string[];
  items: SummaryRow[];
}

export interface Breach {
  caseId: string;
  providerId: string;
  service: string;
  stepId: string;
  stepOrder: number;
  regulationId: string;
  norm: Norm;
  startedAt: string | null;
  dueAt: string | null;
  completedAt: string | null;
  breach: string;
  excess: Amount | null;
  performedBy: { role: string; userId: string } | null;
  executorId: string | null;
  recordedLate: boolean;
}

export interface Page<T> {
  asOf?: string;
  items: T[];
  nextCursor: string | null;
}

export interface StepView {
  stepId: string;
  order: number;
  roles: string[];
  norm: Norm;
  status: 'pending' | 'open' | 'completed' | 'stopped' | string;
  startedAt: string | null;
  dueAt: string | null;
  earliestAt: string | null;
  completedAt: string | null;
  verdict: string | null;
  excess: Amount | null;
  remaining: Amount | null;
  workingMinutes: number | null;
  durationDays: number | null;
  performedBy: { role: string; userId: string } | null;
  recordedLate: boolean;
}

export interface CaseAction {
  eventId: string;
  type: string;
  stepId: string | null;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
}

export interface CaseView {
  id: string;
  service: string;
  providerId: string;
  channel: string;
  regulation: { id: string; title?: Localized | string; source?: LegalSource };
  stage: string;
  status: string;
  executorId: string | null;
  submittedAt: string;
  steps: StepView[];
  actions: CaseAction[];
}

export interface CaseListItem {
  id: string;
  service: string;
  providerId: string;
  channel: string;
  stage: string;
  status: string;
  executorId: string | null;
  submittedAt: string;
  currentStep: StepView | null;
}

export interface HistoryEvent {
  eventId: string;
  type: string;
  streamVersion: number;
  position: string;
  actor: Actor;
  occurredAt: string;
  recordedAt: string;
  recordedLate: boolean;
  stepId: string | null;
  data: Record<string, unknown>;
}

export interface HistoryVerdict {
  status: string;
  dueAt: string | null;
  earliestAt: string | null;
  excess: Amount | null;
  remaining: Amount | null;
  provisional: boolean;
  note?: string;
}

export interface HistoryStep {
  stepId: string;
  order: number;
  status: string;
  norm: Norm;
  startedAt: string | null;
  completedAt: string | null;
  performedBy: { role: string; userId: string } | null;
  verdict: HistoryVerdict | null;
}

export interface CaseHistory {
  caseId: string;
  asOf: string;
  asOfLocal: string;
  cut: { at: string } | { position: string } | null;
  lastEvent: { streamVersion: number; position: string } | null;
  eventsAfterCut: number;
  events: HistoryEvent[];
  state: {
    status: string;
    stage: string;
    service: string;
    providerId: string;
    channel: string;
    regulationId: string;
    executorId: string | null;
    documents: Array<{ kind: string }>;
    submittedAt: string | null;
  } | null;
  regulation: { id: string; title?: Localized | string; source?: LegalSource } | null;
  steps: HistoryStep[];
  recordedLater: Array<{ eventId: string; type: string; stepId: string | null; actor: Actor; occurredAt: string; recordedAt: string }>;
}

export interface Workload {
  providerId: string;
  provider: Localized | null;
  asOf: string;
  total: { openCases: number; dueToday: number; dueThisWeek: number; overdue: number; atRisk: number };
  executors: Array<{ executorId: string | null; openCases: number; byStage: Record<string, number>; dueToday: number; dueThisWeek: number; overdue: number; atRisk: number }>;
  waitingForExecutor: Array<{ caseId: string; service: string; stepId: string; waitingSince: string | null; dueAt: string | null; verdict: string | null }>;
}

export interface ComplaintVerdict {
  status: string;
  dueAt: string | null;
  lastDay: string | null;
  remaining: Amount | null;
  excess: Amount | null;
  term: { amount: number; unit: string; source: LegalSource };
}

export interface ComplaintItem {
  id: string;
  providerId: string;
  caseId: string | null;
  subject: string;
  addressee: string;
  status: string;
  filedAt: string;
  registeredAt: string | null;
  registrationNumber: string | null;
  answeredAt: string | null;
  verdict: ComplaintVerdict | null;
}

export interface RegulationList {
  regulations: Array<{ id: string; title: Localized; inForce: { from: string; to: string | null }; services: Array<{ code: string; name: Localized }> }>;
}

export interface ServiceInForce {
  service: { code: string; name: Localized; steps: Array<{ id: string; order: number; action: Localized }> };
}
