import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../api/src/testing/test-server.js';
import { runSeed } from '../../api/src/cli/seed-runner.js';
import { en } from '../src/i18n/en.js';
import { kk } from '../src/i18n/kk.js';
import { ru } from '../src/i18n/ru.js';
import { fillMonths } from '../src/summary.js';
import type { Breach, CaseHistory, CaseListItem, CaseView, ComplaintItem, Page as ApiPage, Summary, Workload } from '../src/types.js';
import { assertPrerequisites, openBrowser, screenshot, seriousViolations, type Browser } from './browser.js';

let t: TestServer;
let b: Browser;
let page: Page;
let qc: string;

beforeAll(async () => {
  assertPrerequisites();
  t = await startTestServer({ DEMO_TOKENS: 'true' });
  // The demo data of `npm run seed`, smaller: history with late steps, recent open cases, complaints.
  const seeded = await runSeed({ url: t.url, secret: TEST_JWT_SECRET, cases: 60, seed: 'web-e2e', concurrency: 6 });
  await t.projected(seeded.lastPosition);
  qc = await t.token('quality-control');
  b = await openBrowser();
  page = b.page;
}, 600_000);

afterAll(async () => {
  await b?.close();
  await t?.close();
});

const api = async <T>(path: string, token = qc): Promise<T> => {
  const res = await t.request<T>('GET', path, { token });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
  return res.body;
};

const percent = (share: number | null) => (share === null ? '—' : new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(share));
const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Waits until the locator shows exactly this text (polling, no sleeps). */
async function waitForText(locator: Locator, text: string) {
  await locator.filter({ hasText: exactly(text) }).first().waitFor();
}

/** Waits until no view is loading any more. */
async function settled() {
  await page.locator('.state-loading').first().waitFor({ state: 'detached' });
}

/** A new visit: no token, no remembered language, the page loaded afresh at the start address. */
async function freshStart() {
  await page.goto(`${t.url}/#/`);
  await page.evaluate(() => {
    sessionStorage.clear();
    localStorage.clear();
  });
  await page.goto('about:blank');
  await page.goto(`${t.url}/#/`);
  await page.getByRole('heading', { level: 1, name: en['signIn.title'] }).waitFor();
}

async function signInAs(role: string, providerId?: string) {
  await freshStart();
  await page.getByLabel(en['signIn.role']).selectOption(role);
  if (providerId) await page.getByLabel(en['signIn.provider']).selectOption(providerId);
  await page.getByRole('button', { name: en['signIn.submitDemo'] }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function expectAccessibleAndClean(name: string) {
  await settled();
  await screenshot(page, name);
  expect(await seriousViolations(page)).toEqual([]);
  expect(b.problems).toEqual([]);
}

describe('The dashboard in headless Chromium against the demo data', () => {
  describe('when someone signs in', () => {
    it('offers the demo roles and providers, shows the API’s reason for a bad token, and is reachable by keyboard', async () => {
      await freshStart();
      await page.getByLabel(en['signIn.role']).waitFor();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en['app.skip']);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.labels?.[0]?.textContent)).toBe(en['signIn.role']);

      const roles = await page.getByLabel(en['signIn.role']).locator('option').allTextContents();
      expect(roles).toEqual(expect.arrayContaining([en['role.quality-control'], en['role.director'], en['role.investigator']]));
      const providers = (await api<{ items: Array<{ name: { en: string } }> }>('/v1/providers')).items;
      expect(await page.getByLabel(en['signIn.provider']).locator('option').allTextContents()).toEqual(providers.map((p) => p.name.en));

      await page.getByLabel(en['signIn.tokenLabel']).fill('not-a-jwt');
      await page.getByRole('button', { name: en['signIn.submitToken'] }).click();
      const alert = page.getByRole('alert');
      await alert.filter({ hasText: 'The token is not valid' }).waitFor();
      expect(await alert.textContent()).toContain('HTTP 401');

      await page.getByLabel(en['signIn.tokenLabel']).fill('');
      await expectAccessibleAndClean('sign-in');
    });
  });

  describe('when the quality-control authority reviews a period', () => {
    it('sees on-time share and breach counts per provider and service, the monthly trend, the breach list and its CSV, and opens a breach’s case', async () => {
      const summary = await api<Summary>('/v1/compliance/summary?groupBy=provider,service');
      const months = await api<Summary>('/v1/compliance/summary?groupBy=month');
      const breaches = await api<ApiPage<Breach>>('/v1/compliance/breaches?limit=50');
      expect(breaches.items.length).toBeGreaterThan(0);

      await signInAs('quality-control');
      await page.getByRole('heading', { level: 1, name: en['overview.title'] }).waitFor();
      await page.getByTestId('summary-table').waitFor();
      await settled();
      expect(await page.getByTestId('summary-table').locator('tbody tr').count()).toBe(summary.items.length);
      const cases = summary.items.reduce((n, r) => n + r.cases, 0);
      const totalBreaches = summary.items.reduce((n, r) => n + r.breaches, 0);
      expect(await page.getByTestId('kpi-cases').locator('dd').textContent()).toBe(String(cases));
      expect(await page.getByTestId('kpi-breaches').locator('dd').textContent()).toBe(String(totalBreaches));
      const worst = [...summary.items].sort((a, b2) => b2.breaches - a.breaches)[0];
      const worstRow = page.locator(`tr[data-provider="${worst.providerId}"][data-service="${worst.service}"]`);
      expect(await worstRow.getByTestId('breaches').textContent()).toBe(String(worst.breaches));
      expect(await worstRow.getByTestId('on-time-share').textContent()).toBe(percent(worst.onTimeShare));

      const trend = page.getByTestId('trend-chart');
      await trend.locator('canvas').first().waitFor();
      expect(await trend.getAttribute('aria-label')).toContain(`Chart of ${fillMonths(months.items).length} months`);

      const rows = page.getByTestId('breach-table').locator('tbody tr');
      expect(await rows.count()).toBe(breaches.items.length);
      expect(await rows.first().getByRole('link').getAttribute('aria-label')).toBe(`Open case ${breaches.items[0].caseId}`);
      await expectAccessibleAndClean('overview');

      // Narrow the breach list to the provider and service with the most breaches, then export what is shown.
      await worstRow.getByRole('button', { name: new RegExp(en['overview.showBreaches']) }).click();
      const filtered = await api<ApiPage<Breach>>(`/v1/compliance/breaches?providerId=${worst.providerId}&service=${worst.service}&limit=50`);
      await page.locator('p', { hasText: exactly(`${filtered.items.length} breach${filtered.items.length === 1 ? '' : 'es'} shown`) }).waitFor();
      expect(await rows.count()).toBe(filtered.items.length);
      const csv = await t.request('GET', `/v1/compliance/breaches?providerId=${worst.providerId}&service=${worst.service}&limit=10000`, { token: qc, headers: { accept: 'text/csv' } });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en['overview.exportCsv'] }).click()]);
      const saved = readFileSync(await download.path(), 'utf8').trim().split('\n');
      const expected = csv.text.trim().split('\n');
      expect(download.suggestedFilename()).toBe('breaches.csv');
      expect(saved[0]).toBe(expected[0]);
      expect(saved.length).toBe(expected.length);
      await page.getByText(`Saved ${expected.length - 1} row${expected.length === 2 ? '' : 's'} as breaches.csv.`).waitFor();

      // Each breach opens its case: the timeline with the steps against their norms and every event.
      const breach = filtered.items[0];
      await page.getByRole('link', { name: `Open case ${breach.caseId}` }).first().click();
      await page.getByTestId('gantt-chart').locator('canvas').first().waitFor();
      const view = await api<CaseView>(`/v1/cases/${breach.caseId}`);
      const history = await api<CaseHistory>(`/v1/cases/${breach.caseId}/history`);
      await waitForText(page.getByTestId('case-stage'), en[`stage.${view.stage}` as keyof typeof en]);
      expect(await page.getByTestId('steps-table').locator('tbody tr').count()).toBe(view.steps.length);
      const step = view.steps.find((s) => s.stepId === breach.stepId)!;
      expect(await page.locator(`[data-testid="steps-table"] tr[data-step="${breach.stepId}"] .badge`).textContent()).toBe(en[`verdict.${step.verdict}` as keyof typeof en]);
      expect(await page.getByTestId('events-table').locator('tbody tr').count()).toBe(history.events.length);
      expect(await page.getByTestId('gantt-chart').getAttribute('aria-label')).toContain(`${view.steps.filter((s) => s.startedAt).length} step`);
      await expectAccessibleAndClean('case-timeline');
    });

    it('says in the API’s words when a case does not exist', async () => {
      await signInAs('quality-control');
      const missing = '0b9c1f7e-8a4e-4c54-9f7e-1f1d0f0a0b0c';
      await page.goto(`${t.url}/#/cases/${missing}`);
      await page.getByRole('alert').filter({ hasText: `No case ${missing}.` }).waitFor();
      expect(await page.getByRole('alert').textContent()).toContain(en['state.error'].replace('{what}', en['case.what']));
    });
  });

  describe("when a provider's director looks at the workload", () => {
    it('sees open cases, what falls due and the open complaints with working days left, and opens a case', async () => {
      const open = await api<ApiPage<CaseListItem>>('/v1/cases?status=open&limit=500');
      const counts = new Map<string, number>();
      for (const c of open.items) counts.set(c.providerId, (counts.get(c.providerId) ?? 0) + 1);
      const [providerId] = [...counts].sort((a, b2) => b2[1] - a[1] || a[0].localeCompare(b2[0]))[0];
      const director = await t.token('director', providerId);
      const workload = await api<Workload>('/v1/workload', director);
      const complaints = await api<ApiPage<ComplaintItem>>('/v1/complaints?status=open', director);
      const ownCases = open.items.filter((c) => c.providerId === providerId);

      await signInAs('director', providerId);
      await page.getByRole('heading', { level: 1, name: en['workload.title'] }).waitFor();
      await page.getByTestId('open-cases-table').waitFor();
      await settled();
      expect(await page.getByTestId('kpi-open').locator('dd').textContent()).toBe(String(workload.total.openCases));
      expect(await page.getByTestId('kpi-overdue').locator('dd').textContent()).toBe(String(workload.total.overdue));
      expect(await page.getByTestId('kpi-due-week').locator('dd').textContent()).toBe(String(workload.total.dueThisWeek));
      expect(await page.getByTestId('open-cases-table').locator('tbody tr').count()).toBe(ownCases.length);
      if (complaints.items.length) {
        const table = page.getByTestId('complaints-table');
        expect(await table.locator('tbody tr').count()).toBe(complaints.items.length);
        const first = complaints.items.find((c) => c.status === 'registered') ?? complaints.items[0];
        const v = first.status === 'registered' ? first.verdict : null;
        const left = v?.remaining ? `${v.remaining.amount} working day` : v?.excess ? `over by ${v.excess.amount} working day` : first.status === 'filed' ? en['complaints.notRegistered'] : en['complaints.termStopped'];
        expect(await table.locator(`tr[data-complaint="${first.id}"]`).getByTestId('term-left').textContent()).toContain(left);
      } else {
        await page.getByText(en['workload.noComplaints']).waitFor();
      }
      await expectAccessibleAndClean('workload');

      const target = [...ownCases].sort((a, b2) => (a.currentStep?.dueAt ?? '9999').localeCompare(b2.currentStep?.dueAt ?? '9999'))[0];
      await page.getByTestId('open-cases-table').getByRole('link', { name: `Open case ${target.id}` }).click();
      await page.getByRole('heading', { level: 1, name: new RegExp(target.id.slice(0, 8)) }).waitFor();
      await waitForText(page.getByTestId('case-stage'), en[`stage.${target.stage}` as keyof typeof en]);
      await page.getByTestId('events-table').waitFor();
      expect(b.problems).toEqual([]);
    });
  });

  describe('when a complaint investigator follows a complaint to its case', () => {
    it("replays the case's history: the slider moves event by event and the state, norms and verdicts change with it", async () => {
      const investigator = await t.token('investigator');
      const all = await api<ApiPage<ComplaintItem>>('/v1/complaints?status=all&limit=500', investigator);
      const complaint = all.items.find((c) => c.caseId)!;
      expect(complaint).toBeDefined();
      const caseId = complaint.caseId as string;
      const full = await api<CaseHistory>(`/v1/cases/${caseId}/history`, investigator);
      const events = full.events;
      expect(events.length).toBeGreaterThan(2);
      const at = async (i: number) => api<CaseHistory>(`/v1/cases/${caseId}/history?position=${events[i].position}`, investigator);

      await signInAs('investigator');
      await page.getByRole('heading', { level: 1, name: en['complaints.title'] }).waitFor();
      await page.getByLabel(en['col.status']).selectOption('all');
      await page.getByText(`${all.items.length} complaints`).waitFor();
      expect(await page.getByTestId('complaints-table').locator('tbody tr').count()).toBe(all.items.length);
      await expectAccessibleAndClean('complaints');

      await page.locator(`tr[data-complaint="${complaint.id}"]`).getByRole('link', { name: `Replay case ${caseId}` }).click();
      const slider = page.getByTestId('replay-slider');
      await slider.waitFor();
      const stage = page.getByTestId('replay-stage');
      await waitForText(page.getByTestId('replay-position'), `Event ${events.length} of ${events.length}: ${en[`event.${events.at(-1)!.type}` as keyof typeof en]}`);
      await waitForText(stage, en[`stage.${full.state!.stage}` as keyof typeof en]);

      // To the first event: only the application is on record.
      await slider.focus();
      await page.keyboard.press('Home');
      const first = await at(0);
      await waitForText(page.getByTestId('replay-position'), `Event 1 of ${events.length}: ${en['event.ApplicationSubmitted']}`);
      await waitForText(stage, en[`stage.${first.state!.stage}` as keyof typeof en]);
      expect(first.state!.stage).not.toBe(full.state!.stage);
      await settled();
      const firstStep = first.steps[0];
      const firstVerdict = firstStep.verdict ? en[`verdict.${firstStep.verdict.status}` as keyof typeof en] : en[`stepStatus.${firstStep.status}` as keyof typeof en];
      expect(await page.locator(`[data-testid="replay-steps"] tr[data-step="${firstStep.stepId}"] td`).nth(3).textContent()).toBe(firstVerdict);

      // Forward with the arrow key, event by event, until the record shows another stage.
      let i = 0;
      let then = first;
      while (then.state!.stage === first.state!.stage) {
        i += 1;
        await page.keyboard.press('ArrowRight');
        then = await at(i);
      }
      await waitForText(page.getByTestId('replay-position'), `Event ${i + 1} of ${events.length}: ${en[`event.${events[i].type}` as keyof typeof en]}`);
      await waitForText(stage, en[`stage.${then.state!.stage}` as keyof typeof en]);
      await waitForText(page.getByTestId('replay-as-of'), `As the record stood at ${new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(then.asOf))}`);
      expect(new URL(page.url()).hash).toBe(`#/cases/${caseId}/replay?position=${events[i].position}`);
      await expectAccessibleAndClean('replay');
    });
  });

  describe('when the language is switched', () => {
    it('shows the overview in Kazakh and in Russian, and keeps the choice after a reload', async () => {
      await signInAs('quality-control');
      await page.getByTestId('breach-table').waitFor();
      await page.getByRole('button', { name: 'Қазақша' }).click();
      await page.getByRole('heading', { level: 1, name: kk['overview.title'] }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('kk');
      expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual([kk['nav.overview'], kk['nav.complaints'], kk['nav.workload'], kk['nav.findCase']]);
      await page.getByRole('heading', { level: 2, name: kk['overview.breachesTitle'] }).waitFor();
      await expectAccessibleAndClean('overview-kk');

      await page.getByRole('button', { name: 'Русский' }).click();
      await page.getByRole('heading', { level: 1, name: ru['overview.title'] }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
      expect(await page.getByRole('button', { name: ru['overview.exportCsv'] }).count()).toBe(1);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: ru['overview.title'] }).waitFor();
      await expectAccessibleAndClean('overview-ru');

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: en['overview.title'] }).waitFor();
    });
  });
});
