export * from './regulation.types.js';
