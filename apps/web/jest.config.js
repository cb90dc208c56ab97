import { projectJestConfig } from '../../jest.preset.js';

// The browser tests live in e2e/ (outside src/, which is the browser bundle's code and lint scope).
const config = projectJestConfig(import.meta.dirname);
for (const project of config.projects) {
  if (project.displayName === 'e2e') project.testMatch = ['<rootDir>/e2e/**/*.e2e.spec.ts', '<rootDir>/src/**/*.e2e.spec.ts'];
}
export default config;
