import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SCHEDULE } from '@sped/regulations';
import { demoProviderDirectory, loadProviderDirectory } from './provider-directory.js';

describe('Provider directory', () => {
  it('gives a provider its own working schedule and the others the default', () => {
    const d = demoProviderDirectory();
    expect(d.scheduleOf('rehab-taldykorgan').periods[0]).toEqual({ start: '08:30', end: '12:30' });
    expect(d.scheduleOf('pmpc-almaty-1')).toBe(DEFAULT_SCHEDULE);
    expect(d.scheduleOf('unknown-provider')).toBe(DEFAULT_SCHEDULE);
  });

  it('refuses a providers file with an overlapping schedule, naming the provider and field', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'providers-')), 'providers.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: [{ id: 'p-1', name: { kk: 'a', ru: 'b', en: 'c' }, kind: 'school', region: 'r', services: ['home-education'], schedule: { periods: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }] } }],
      }),
    );
    expect(() => loadProviderDirectory(file)).toThrow(/providers\.0\.schedule: working schedule: periods\[1\] starts \(12:00\) before the previous period ends/);
  });
});
