/**
 * Test helpers (`@sped/read-models/testing`): never built into dist, never imported by production code.
 */
export * from './fixtures.js';
export * from './random-history.js';
export * from './tables.js';
