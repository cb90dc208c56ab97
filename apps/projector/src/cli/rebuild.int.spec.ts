import { spawn } from 'node:child_process';
import path from 'node:path';
import { ALL_PROJECTIONS } from '@sped/read-models';

const root = path.resolve(import.meta.dirname, '../../../..');

function run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const clean = { ...process.env, DATABASE_URL: undefined, KURRENTDB_URL: undefined, ...env };
  const child = spawn(process.execPath, [path.join(root, 'apps/projector/dist/cli/rebuild.js'), ...args], { env: clean as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output.join('') })));
}

// Runs of the whole tool against a database are in crash-safety.int.spec.ts.
describe('npm run rebuild', () => {
  describe('in embedded mode (no DATABASE_URL)', () => {
    it('refuses with exit code 2 and tells to rebuild through the admin API of the running server', async () => {
      const { code, output } = await run(['case-summary'], {});
      expect(code).toBe(2);
      expect(output).toContain('running server holds the data directory');
      expect(output).toContain('POST');
      expect(output).toContain('/v1/admin/projections/<projection>/rebuild');
    });
  });

  describe('when told nothing or something unknown', () => {
    it('shows the usage with every projection, and names what it does not know, with exit code 2', async () => {
      const nothing = await run([], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never' });
      expect(nothing.code).toBe(2);
      expect(nothing.output).toContain('usage: npm run rebuild -- <projection>|--all');
      for (const p of ALL_PROJECTIONS) expect(nothing.output).toContain(p.name);
      const unknown = await run(['case-sumary'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never' });
      expect(unknown.code).toBe(2);
      expect(unknown.output).toContain('There is no projection case-sumary');
      const both = await run(['case-summary', '--all'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never' });
      expect(both.code).toBe(2);
    });
  });
});
