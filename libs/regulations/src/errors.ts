/** A data file (regulation version, complaint terms, calendar year) that does not hold together. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(`${file}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
    this.name = 'DataFileError';
  }
}

export class RegulationDataError extends DataFileError {
  constructor(file: string, problems: ReadonlyArray<{ path: string; message: string }>) {
    super(file, problems);
    this.name = 'RegulationDataError';
  }
}

export class CalendarDataError extends DataFileError {
  constructor(file: string, problems: ReadonlyArray<{ path: string; message: string }>) {
    super(file, problems);
    this.name = 'CalendarDataError';
  }
}

/** No regulation version covers the service on the date. */
export class RegulationGapError extends Error {
  constructor(
    readonly service: string,
    readonly date: string,
    detail: string,
  ) {
    super(`no regulation for ${service} on ${date}: ${detail}`);
    this.name = 'RegulationGapError';
  }
}

/** No complaint terms cover the date. */
export class ComplaintTermsGapError extends Error {
  constructor(
    readonly date: string,
    detail: string,
  ) {
    super(`no complaint terms on ${date}: ${detail}`);
    this.name = 'ComplaintTermsGapError';
  }
}

/** A date before the first year the calendar has data for, or beyond the years it can compute. */
export class CalendarRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarRangeError';
  }
}
