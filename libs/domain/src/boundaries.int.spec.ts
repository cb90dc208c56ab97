import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => readFile(path.join(root, 'tools/lint-fixtures', name), 'utf8');

async function lintAs(source: string, filePath: string) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(source, { filePath: path.join(root, filePath) });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('Architecture boundaries (lint)', () => {
  describe('a domain file', () => {
    it('fails lint when it imports @nestjs/common', async () => {
      const messages = await lintAs(await fixture('imports-nest.txt'), 'libs/domain/src/case/leaky.ts');
      expect(messages.join('\n')).toMatch(/@nestjs\/common/);
    });

    it('fails lint when it imports pg', async () => {
      const messages = await lintAs(await fixture('imports-pg.txt'), 'libs/domain/src/case/leaky.ts');
      expect(messages.join('\n')).toMatch(/pg/);
    });

    it('fails lint when it imports the event-store adapters', async () => {
      const messages = await lintAs(await fixture('imports-event-store.txt'), 'libs/domain/src/case/leaky.ts');
      expect(messages.length).toBeGreaterThan(0);
    });
  });

  describe('a regulations file', () => {
    it('fails lint when it imports @nestjs/common', async () => {
      const messages = await lintAs(await fixture('imports-nest.txt'), 'libs/regulations/src/leaky.ts');
      expect(messages.join('\n')).toMatch(/@nestjs\/common/);
    });
  });

  describe('an api file', () => {
    it('may import @nestjs/common', async () => {
      const messages = await lintAs(await fixture('imports-nest.txt'), 'apps/api/src/fine.ts');
      expect(messages).toEqual([]);
    });
  });
});
