/** A provider's working hours on working days, in local (Asia/Almaty) wall-clock time. */
export interface WorkingSchedule {
  id?: string;
  /** Working periods of a working day, `HH:MM`-`HH:MM`, start inclusive, end exclusive, ascending, not overlapping. */
  periods: ReadonlyArray<{ start: string; end: string }>;
}

/** DESIGN.md, Time: the default schedule, 09:00-13:00 and 14:00-18:00 on working days. */
export const DEFAULT_SCHEDULE: WorkingSchedule = {
  id: 'default',
  periods: [
    { start: '09:00', end: '13:00' },
    { start: '14:00', end: '18:00' },
  ],
};

/** A schedule as minutes since local midnight: [start, end) pairs. */
export interface CompiledSchedule {
  readonly periods: ReadonlyArray<readonly [number, number]>;
  /** Working minutes in one working day. */
  readonly minutesPerDay: number;
}

const TIME_RE = /^(\d{2}):(\d{2})$/;
const compiled = new WeakMap<WorkingSchedule, CompiledSchedule>();

function minutesOf(text: string, what: string): number {
  const m = TIME_RE.exec(text);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0)) throw new RangeError(`working schedule: ${what} must be HH:MM between 00:00 and 24:00 (got ${JSON.stringify(text)})`);
  return h * 60 + min;
}

/** Validates and compiles a schedule (memoized per schedule object). */
export function compileSchedule(schedule: WorkingSchedule): CompiledSchedule {
  const hit = compiled.get(schedule);
  if (hit) return hit;
  if (!schedule || !Array.isArray(schedule.periods) || schedule.periods.length === 0) {
    throw new RangeError('working schedule: needs at least one working period');
  }
  const periods: Array<readonly [number, number]> = [];
  let last = -1;
  schedule.periods.forEach((p, i) => {
    const start = minutesOf(p.start, `periods[${i}].start`);
    const end = minutesOf(p.end, `periods[${i}].end`);
    if (end <= start) throw new RangeError(`working schedule: periods[${i}] ends (${p.end}) before it starts (${p.start})`);
    if (start < last) throw new RangeError(`working schedule: periods[${i}] starts (${p.start}) before the previous period ends`);
    periods.push([start, end]);
    last = end;
  });
  const result: CompiledSchedule = { periods, minutesPerDay: periods.reduce((s, [a, b]) => s + b - a, 0) };
  compiled.set(schedule, result);
  return result;
}
