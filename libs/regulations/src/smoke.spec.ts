import { CASE_EVENT_TYPES } from './index.js';
describe('smoke', () => { it('loads', () => { expect(CASE_EVENT_TYPES).toContain('ResultIssued'); }); });
