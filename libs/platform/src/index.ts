export * from './config.js';
export * from './logger.js';
export * from './storage.js';
export * from './personal-data/vault.js';
export * from './providers/provider-directory.js';
