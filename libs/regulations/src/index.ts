export * from './regulation.types.js';
export * from './errors.js';
export * from './regulations/index.js';
export * from './calendar/index.js';
export * from './terms.js';
