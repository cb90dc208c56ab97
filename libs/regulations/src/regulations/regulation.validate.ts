import {
  CASE_EVENT_TYPES,
  type Channel,
  type ComplaintTerms,
  type NormUnit,
  type ParticipantRole,
  type RegulationVersion,
  type ServiceCode,
} from '../regulation.types.js';
import { RegulationDataError } from '../errors.js';
import { Checker, join } from '../validation.js';

export const SERVICE_CODES: readonly ServiceCode[] = ['pmpc-examination', 'rehabilitation', 'special-school-admission', 'home-education'];
export const CHANNELS: readonly Channel[] = ['office', 'portal'];
export const ROLES: readonly ParticipantRole[] = ['clerk', 'head', 'executor'];
export const NORM_UNITS: readonly NormUnit[] = ['minutes', 'hours', 'calendar-days', 'working-days'];
const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function unknownKeys(c: Checker, obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) c.fail(join(path, key), 'is not a known field');
}

function inForce(c: Checker, obj: Record<string, unknown>, path: string): void {
  const p = join(path, 'inForce');
  const v = obj['inForce'];
  if (!c.isObject(v, p)) return;
  const from = c.date(v, 'from', p);
  if (v['to'] !== null) {
    const to = c.date(v, 'to', p);
    if (from && to && to < from) c.fail(join(p, 'to'), `must not be before from (${from})`);
  }
  c.string(v, 'note', p, true);
  const est = v['estimated'];
  if (est !== undefined && c.isObject(est, join(p, 'estimated'))) {
    for (const k of Object.keys(est)) {
      if ((k !== 'from' && k !== 'to') || typeof est[k] !== 'boolean') c.fail(join(join(p, 'estimated'), k), 'must be from/to: boolean');
    }
    if (Object.values(est).some(Boolean) && typeof v['note'] !== 'string') c.fail(join(p, 'note'), 'must say why a bound is estimated');
  }
  unknownKeys(c, v, ['from', 'to', 'note', 'estimated'], p);
}

function events(c: Checker, obj: Record<string, unknown>, key: string, path: string, optional = false): string[] {
  const v = obj[key];
  if (v === undefined && optional) return [];
  if (typeof v === 'string') {
    if (!(CASE_EVENT_TYPES as readonly string[]).includes(v)) c.fail(join(path, key), `${JSON.stringify(v)} is not a case event type`);
    return [v];
  }
  const list = c.array(obj, key, path, optional) ?? [];
  list.forEach((e, i) => {
    if (typeof e !== 'string' || !(CASE_EVENT_TYPES as readonly string[]).includes(e)) c.fail(join(join(path, key), i), `${JSON.stringify(e)} is not a case event type`);
  });
  return list.filter((e): e is string => typeof e === 'string');
}

function norm(c: Checker, step: Record<string, unknown>, path: string): void {
  const p = join(path, 'norm');
  const n = step['norm'];
  if (!c.isObject(n, p)) return;
  const kind = c.oneOf(n, 'kind', ['limit', 'window', 'none'] as const, p);
  c.legalSource(n, 'source', p);
  const src = n['source'] as Record<string, unknown> | undefined;
  if (src && typeof src === 'object' && typeof src['quote'] !== 'string') c.fail(join(join(p, 'source'), 'quote'), 'a norm needs the Kazakh quote it was read from');
  const positive = (key: string, unit: NormUnit | undefined) => {
    const v = n[key];
    const dayUnit = unit === 'calendar-days' || unit === 'working-days';
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (dayUnit && !Number.isInteger(v))) {
      c.fail(join(p, key), `must be a positive ${dayUnit ? 'whole ' : ''}number (got ${JSON.stringify(v)})`);
      return undefined;
    }
    return v;
  };
  if (kind === 'limit') {
    const unit = c.oneOf(n, 'unit', NORM_UNITS, p);
    positive('amount', unit);
    unknownKeys(c, n, ['kind', 'amount', 'unit', 'source'], p);
  } else if (kind === 'window') {
    const unit = c.oneOf(n, 'unit', NORM_UNITS, p);
    const min = positive('min', unit);
    const max = positive('max', unit);
    if (min !== undefined && max !== undefined && min >= max) c.fail(join(p, 'max'), `must be greater than min (${min})`);
    unknownKeys(c, n, ['kind', 'min', 'max', 'unit', 'source'], p);
  } else if (kind === 'none') {
    c.string(n, 'note', p);
    unknownKeys(c, n, ['kind', 'note', 'source'], p);
  }
}

function service(c: Checker, s: unknown, path: string): void {
  if (!c.isObject(s, path)) return;
  c.oneOf(s, 'code', SERVICE_CODES, path);
  c.localized(s, 'name', path);
  c.legalSource(s, 'source', path);
  const kinds = c.array(s, 'providerKinds', path) ?? [];
  if (kinds.length === 0) c.fail(join(path, 'providerKinds'), 'must name at least one kind of provider');
  kinds.forEach((k, i) => c.localizedValue(k, join(join(path, 'providerKinds'), i)));

  const channels = (c.array(s, 'channels', path) ?? []) as unknown[];
  if (channels.length === 0) c.fail(join(path, 'channels'), 'must name at least one channel');
  channels.forEach((ch, i) => {
    if (!CHANNELS.includes(ch as Channel)) c.fail(join(join(path, 'channels'), i), `must be one of ${CHANNELS.join(', ')}`);
  });
  if (new Set(channels).size !== channels.length) c.fail(join(path, 'channels'), 'lists a channel twice');

  const participants = (c.array(s, 'participants', path) ?? []) as unknown[];
  if (participants.length === 0) c.fail(join(path, 'participants'), 'must name at least one participant role');
  participants.forEach((r, i) => {
    if (!ROLES.includes(r as ParticipantRole)) c.fail(join(join(path, 'participants'), i), `must be one of ${ROLES.join(', ')}`);
  });

  const result = c.array(s, 'result', path) ?? [];
  if (result.length === 0) c.fail(join(path, 'result'), 'must name the result document(s)');
  result.forEach((r, i) => c.localizedValue(r, join(join(path, 'result'), i)));

  (c.array(s, 'refusalGrounds', path) ?? []).forEach((g, i) => {
    const gp = join(join(path, 'refusalGrounds'), i);
    if (!c.isObject(g, gp)) return;
    c.oneOf(g, 'code', ['incomplete-documents', 'expired-documents'] as const, gp);
    c.localized(g, 'text', gp);
    c.legalSource(g, 'source', gp);
    unknownKeys(c, g, ['code', 'text', 'source'], gp);
  });

  (c.array(s, 'windows', path) ?? []).forEach((w, i) => {
    const wp = join(join(path, 'windows'), i);
    if (!c.isObject(w, wp)) return;
    c.string(w, 'id', wp);
    c.localized(w, 'description', wp);
    c.legalSource(w, 'source', wp);
    const from = w['from'];
    const to = w['to'];
    if (from !== undefined && (typeof from !== 'string' || !MONTH_DAY.test(from))) c.fail(join(wp, 'from'), 'must be MM-DD');
    if (typeof to !== 'string' || !MONTH_DAY.test(to)) c.fail(join(wp, 'to'), 'must be MM-DD');
    else if (typeof from === 'string' && from > to) c.fail(join(wp, 'from'), `must not be after to (${to})`);
    const grade = w['grade'];
    if (grade !== undefined && (typeof grade !== 'number' || !Number.isInteger(grade) || grade < 1 || grade > 12)) c.fail(join(wp, 'grade'), 'must be a school grade 1-12');
    unknownKeys(c, w, ['id', 'description', 'from', 'to', 'grade', 'source'], wp);
  });

  if (s['free'] !== undefined && typeof s['free'] !== 'boolean') c.fail(join(path, 'free'), 'must be a boolean');
  const form = c.array(s, 'form', path, true);
  form?.forEach((f, i) => c.localizedValue(f, join(join(path, 'form'), i)));
  const obligations = c.array(s, 'obligations', path, true);
  obligations?.forEach((o, i) => {
    const op = join(join(path, 'obligations'), i);
    if (!c.isObject(o, op)) return;
    c.string(o, 'id', op);
    c.localized(o, 'text', op);
    c.legalSource(o, 'source', op);
    unknownKeys(c, o, ['id', 'text', 'source'], op);
  });

  const steps = c.array(s, 'steps', path) ?? [];
  if (steps.length === 0) c.fail(join(path, 'steps'), 'must have at least one step');
  const ids = new Set<string>();
  let lastOrder = 0;
  const valid: Array<{ order: number; channels: Channel[]; startsOn: string; completedBy: string; path: string }> = [];
  steps.forEach((st, i) => {
    const sp = join(join(path, 'steps'), i);
    if (!c.isObject(st, sp)) return;
    const id = c.string(st, 'id', sp);
    if (id !== undefined) {
      if (ids.has(id)) c.fail(join(sp, 'id'), `${id} is used twice`);
      ids.add(id);
    }
    const order = st['order'];
    if (typeof order !== 'number' || !Number.isInteger(order) || order < 1) c.fail(join(sp, 'order'), 'must be a whole number >= 1');
    else if (order < lastOrder) c.fail(join(sp, 'order'), `steps must be listed in order (${order} after ${lastOrder})`);
    else lastOrder = order;
    c.localized(st, 'action', sp);
    c.localized(st, 'produces', sp);
    c.legalSource(st, 'source', sp);
    const stepSource = st['source'] as Record<string, unknown> | undefined;
    if (stepSource && typeof stepSource === 'object' && typeof stepSource['quote'] !== 'string') c.fail(join(join(sp, 'source'), 'quote'), 'a step needs the Kazakh quote it was read from');
    const roles = (c.array(st, 'performedBy', sp) ?? []) as unknown[];
    if (roles.length === 0) c.fail(join(sp, 'performedBy'), 'must name at least one role');
    roles.forEach((r, k) => {
      if (!participants.includes(r)) c.fail(join(join(sp, 'performedBy'), k), `${JSON.stringify(r)} is not a participant of the service`);
    });
    norm(c, st, sp);
    const [startsOn] = events(c, st, 'startsOn', sp);
    const [completedBy] = events(c, st, 'completedBy', sp);
    if (startsOn && startsOn === completedBy) c.fail(join(sp, 'completedBy'), 'must differ from startsOn');
    const activities = events(c, st, 'activities', sp, true);
    const also = events(c, st, 'alsoCompletedBy', sp, true);
    for (const e of [...activities, ...also]) if (e === completedBy) c.fail(join(sp, 'activities'), `${e} already completes the step`);
    const stepChannels = (c.array(st, 'channels', sp, true) ?? channels) as Channel[];
    stepChannels.forEach((ch, k) => {
      if (!channels.includes(ch)) c.fail(join(join(sp, 'channels'), k), `${JSON.stringify(ch)} is not a channel of the service`);
    });
    unknownKeys(
      c,
      st,
      ['id', 'order', 'action', 'performedBy', 'norm', 'startsOn', 'completedBy', 'activities', 'alsoCompletedBy', 'produces', 'channels', 'source'],
      sp,
    );
    if (typeof order === 'number' && startsOn && completedBy) valid.push({ order, channels: stepChannels, startsOn, completedBy, path: sp });
  });

  // Per channel the steps form one chain: each starts on the event that completed the one before.
  for (const ch of channels as Channel[]) {
    const chain = valid.filter((v) => v.channels.includes(ch));
    chain.forEach((v, k) => {
      if (k === 0) return;
      const prev = chain[k - 1];
      if (v.order === prev.order) c.fail(join(v.path, 'order'), `two steps with order ${v.order} apply to the ${ch} channel`);
      if (v.startsOn !== prev.completedBy) {
        c.fail(join(v.path, 'startsOn'), `on the ${ch} channel it must start on ${prev.completedBy}, which completes the step before (got ${v.startsOn})`);
      }
    });
  }
  unknownKeys(
    c,
    s,
    ['code', 'name', 'providerKinds', 'channels', 'participants', 'result', 'refusalGrounds', 'windows', 'steps', 'source', 'free', 'form', 'obligations'],
    path,
  );
}

/**
 * Checks a regulation version data file and returns it typed; throws a RegulationDataError naming the file and
 * every field at fault (e.g. `services[0].steps[2].norm.amount: must be a positive number`).
 */
export function validateRegulationVersion(data: unknown, file: string): RegulationVersion {
  const c = new Checker();
  if (!c.isObject(data, '')) throw new RegulationDataError(file, c.problems);
  const id = c.string(data, 'id', '');
  if (id !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) c.fail('id', 'must be kebab-case');
  c.localized(data, 'title', '');
  c.legalSource(data, 'source', '');
  inForce(c, data, '');
  const services = c.array(data, 'services', '') ?? [];
  if (services.length === 0) c.fail('services', 'must define at least one service');
  const codes = new Set<unknown>();
  services.forEach((s, i) => {
    service(c, s, join('services', i));
    const code = (s as { code?: unknown })?.code;
    if (codes.has(code)) c.fail(join(join('services', i), 'code'), `${String(code)} is defined twice in this version`);
    codes.add(code);
  });
  unknownKeys(c, data, ['id', 'title', 'source', 'inForce', 'services'], '');
  if (c.problems.length) throw new RegulationDataError(file, c.problems);
  return data as unknown as RegulationVersion;
}

export function validateComplaintTerms(data: unknown, file: string): ComplaintTerms {
  const c = new Checker();
  if (!c.isObject(data, '')) throw new RegulationDataError(file, c.problems);
  c.string(data, 'id', '');
  inForce(c, data, '');
  const terms = c.array(data, 'terms', '') ?? [];
  const addressees = new Set<unknown>();
  terms.forEach((t, i) => {
    const p = join('terms', i);
    if (!c.isObject(t, p)) return;
    const a = c.oneOf(t, 'addressee', ['provider', 'authorized-body'] as const, p);
    if (addressees.has(a)) c.fail(join(p, 'addressee'), `${a} has two terms`);
    addressees.add(a);
    const amount = t['amount'];
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1) c.fail(join(p, 'amount'), 'must be a whole number of days >= 1');
    c.oneOf(t, 'unit', ['working-days'] as const, p);
    c.oneOf(t, 'startsOn', ['registration'] as const, p);
    c.legalSource(t, 'source', p);
    unknownKeys(c, t, ['addressee', 'amount', 'unit', 'startsOn', 'source'], p);
  });
  for (const a of ['provider', 'authorized-body']) if (!addressees.has(a)) c.fail('terms', `needs a term for complaints to the ${a}`);
  unknownKeys(c, data, ['id', 'inForce', 'terms'], '');
  if (c.problems.length) throw new RegulationDataError(file, c.problems);
  return data as unknown as ComplaintTerms;
}
