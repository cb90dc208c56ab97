import type { Channel, ComplaintTerms, Norm, RegulationVersion, ServiceCode, ServiceDefinition, StepDefinition } from '../regulation.types.js';
import { ComplaintTermsGapError, RegulationDataError, RegulationGapError } from '../errors.js';
import { addDaysToDate, isValidDate } from '../calendar/days.js';
import { validateComplaintTerms, validateRegulationVersion } from './regulation.validate.js';
import { REGULATION_FILES, COMPLAINT_TERMS_FILES, type DataFile } from './registered.js';

export interface RegulationInForce {
  regulation: RegulationVersion;
  service: ServiceDefinition;
}

function covers(inForce: { from: string; to: string | null }, date: string): boolean {
  return inForce.from <= date && (inForce.to === null || date <= inForce.to);
}

function overlaps(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
  return a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');
}

/** The data is shared by every caller: freeze it so that no caller can change a norm for the others. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function checkDate(date: string): void {
  if (typeof date !== 'string' || !isValidDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/**
 * The regulation versions and complaint terms, validated when built: each file on its own, then together
 * (unique ids; for each service, and for complaint terms, no two versions in force on the same day).
 */
export class RegulationRegistry {
  private readonly versions: RegulationVersion[];
  private readonly complaintTerms: ComplaintTerms[];

  constructor(regulationFiles: ReadonlyArray<DataFile<unknown>>, complaintFiles: ReadonlyArray<DataFile<unknown>> = []) {
    const checked = regulationFiles.map((f) => ({ file: f.file, version: validateRegulationVersion(f.data, f.file) }));
    const ids = new Map<string, string>();
    for (const { file, version } of checked) {
      const other = ids.get(version.id);
      if (other) throw new RegulationDataError(file, [{ path: 'id', message: `${version.id} is also the id of ${other}` }]);
      ids.set(version.id, file);
    }
    for (let i = 0; i < checked.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = checked[i].version;
        const b = checked[j].version;
        if (!overlaps(a.inForce, b.inForce)) continue;
        for (const s of a.services) {
          if (b.services.some((t) => t.code === s.code)) {
            throw new RegulationDataError(checked[i].file, [
              { path: 'inForce', message: `${s.code} is also governed by ${b.id} (${checked[j].file}) on overlapping dates` },
            ]);
          }
        }
      }
    }
    this.versions = checked.map((c) => deepFreeze(c.version)).sort((a, b) => (a.inForce.from < b.inForce.from ? -1 : 1));

    const terms = complaintFiles.map((f) => ({ file: f.file, terms: validateComplaintTerms(f.data, f.file) }));
    for (let i = 0; i < terms.length; i++) {
      for (let j = 0; j < i; j++) {
        if (overlaps(terms[i].terms.inForce, terms[j].terms.inForce)) {
          throw new RegulationDataError(terms[i].file, [{ path: 'inForce', message: `overlaps ${terms[j].terms.id} (${terms[j].file})` }]);
        }
      }
    }
    this.complaintTerms = terms.map((t) => deepFreeze(t.terms)).sort((a, b) => (a.inForce.from < b.inForce.from ? -1 : 1));
  }

  list(): RegulationVersion[] {
    return [...this.versions];
  }

  byId(id: string): RegulationVersion | undefined {
    return this.versions.find((v) => v.id === id);
  }

  /**
   * The norm of a step of a service under a regulation version (with its legal source), or undefined when the
   * version, the service or the step is unknown. Read models keep only the three keys: the norm is the
   * regulation's, looked up here (a map built once; the data is frozen).
   */
  stepNorm(regulationId: string, serviceCode: string, stepId: string): Norm | undefined {
    if (!this.norms) {
      this.norms = new Map();
      for (const v of this.versions) for (const s of v.services) for (const st of s.steps) this.norms.set(`${v.id}\u0000${s.code}\u0000${st.id}`, st.norm);
    }
    return this.norms.get(`${regulationId}\u0000${serviceCode}\u0000${stepId}`);
  }

  private norms?: Map<string, Norm>;

  /** The version governing the service on the date (an Almaty local date); RegulationGapError when none does. */
  regulationFor(service: ServiceCode, date: string): RegulationInForce {
    checkDate(date);
    const candidates = this.versions.filter((v) => v.services.some((s) => s.code === service));
    for (const regulation of candidates) {
      const definition = regulation.services.find((s) => s.code === service);
      if (definition && covers(regulation.inForce, date)) return { regulation, service: definition };
    }
    if (candidates.length === 0) throw new RegulationGapError(service, date, 'no regulation version defines this service');
    const before = candidates.filter((v) => v.inForce.to !== null && v.inForce.to < date).pop();
    const after = candidates.find((v) => v.inForce.from > date);
    let detail: string;
    if (before && after) detail = `the gap between ${before.id} (ended ${before.inForce.to}) and ${after.id} (starts ${after.inForce.from})`;
    else if (after) detail = `the earliest version starts ${after.inForce.from} (${after.id})`;
    else if (before) detail = `the latest version (${before.id}) ended ${before.inForce.to}`;
    else detail = 'no version covers it';
    throw new RegulationGapError(service, date, detail);
  }

  complaintTermsFor(date: string): ComplaintTerms {
    checkDate(date);
    const hit = this.complaintTerms.find((t) => covers(t.inForce, date));
    if (hit) return hit;
    const after = this.complaintTerms.find((t) => t.inForce.from > date);
    const before = this.complaintTerms.filter((t) => t.inForce.to !== null && t.inForce.to < date).pop();
    throw new ComplaintTermsGapError(
      date,
      after ? `the earliest complaint terms start ${after.inForce.from} (${after.id})` : before ? `the latest complaint terms (${before.id}) ended ${before.inForce.to}` : 'none are defined',
    );
  }

  listComplaintTerms(): ComplaintTerms[] {
    return [...this.complaintTerms];
  }

  /** Days on which a service has no regulation, between two dates (inclusive): for an operator's coverage check. */
  gaps(service: ServiceCode, from: string, to: string): Array<{ from: string; to: string }> {
    checkDate(from);
    checkDate(to);
    const spans = this.versions
      .filter((v) => v.services.some((s) => s.code === service))
      .map((v) => v.inForce)
      .sort((a, b) => (a.from < b.from ? -1 : 1));
    const gaps: Array<{ from: string; to: string }> = [];
    let cursor = from;
    for (const span of spans) {
      if (cursor > to) break;
      if (span.to !== null && span.to < cursor) continue;
      if (span.from > cursor) gaps.push({ from: cursor, to: span.from <= to ? addDaysToDate(span.from, -1) : to });
      if (span.to === null) return gaps;
      cursor = addDaysToDate(span.to, 1);
    }
    if (cursor <= to) gaps.push({ from: cursor, to });
    return gaps;
  }
}

/** The steps of a service that apply on a channel, in order. */
export function stepsOf(service: ServiceDefinition, channel: Channel): StepDefinition[] {
  if (!service.channels.includes(channel)) {
    throw new RangeError(`${service.code} is not provided through the ${channel} channel (channels: ${service.channels.join(', ')})`);
  }
  return service.steps.filter((s) => !s.channels || s.channels.includes(channel));
}

let registry: RegulationRegistry | undefined;

/** The registry of the regulation files registered in `registered.ts`, validated on first use. */
export function defaultRegistry(): RegulationRegistry {
  return (registry ??= new RegulationRegistry(REGULATION_FILES, COMPLAINT_TERMS_FILES));
}

export function listRegulations(): RegulationVersion[] {
  return defaultRegistry().list();
}

export function regulationById(id: string): RegulationVersion | undefined {
  return defaultRegistry().byId(id);
}

/** The norm of a step under a regulation version (see RegulationRegistry.stepNorm). */
export function stepNorm(regulationId: string, serviceCode: string, stepId: string): Norm | undefined {
  return defaultRegistry().stepNorm(regulationId, serviceCode, stepId);
}

/** The regulation in force for the service on the date (YYYY-MM-DD, Almaty local date). */
export function regulationFor(service: ServiceCode, date: string): RegulationInForce {
  return defaultRegistry().regulationFor(service, date);
}

export function complaintTermsFor(date: string): ComplaintTerms {
  return defaultRegistry().complaintTermsFor(date);
}

export function listComplaintTerms(): ComplaintTerms[] {
  return defaultRegistry().listComplaintTerms();
}

/**
 * The steps that apply on a channel: of a service definition, or of the service's regulation in force on `date`.
 */
export function stepsFor(service: ServiceDefinition, channel: Channel): StepDefinition[];
export function stepsFor(service: ServiceCode, channel: Channel, date: string): StepDefinition[];
export function stepsFor(service: ServiceDefinition | ServiceCode, channel: Channel, date?: string): StepDefinition[] {
  if (typeof service === 'string') {
    if (date === undefined) throw new TypeError('stepsFor(serviceCode, channel, date): the date picks the regulation in force');
    return stepsOf(regulationFor(service, date).service, channel);
  }
  return stepsOf(service, channel);
}
