export * from './calendar.types.js';
export { KzCalendar, getDefaultCalendar, configureDefaultCalendar, type CalendarOptions, type YearFile } from './calendar.js';
export { loadCalendarYearFiles } from './load-year-files.js';
export { validateCalendarYear, CALENDAR_MAX_YEAR } from './calendar-year.validate.js';
export { HOLIDAY_RULES, CARRY_OVER_SOURCE, FIVE_DAY_WEEK_SOURCE } from './holidays.js';
export { BUILT_IN_YEARS } from './years/index.js';
export { DEFAULT_SCHEDULE, compileSchedule, type WorkingSchedule, type CompiledSchedule } from './schedule.js';
export { LEGAL_TIME_ZONE, ZoneClock, almatyClock, formatLocalIso } from './zone.js';
export { isValidDate, addDaysToDate } from './days.js';
