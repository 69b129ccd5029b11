// Console figures: cold-load bytes on the wire (as served after
// scripts/build-web), time to a drawn dashboard, interaction latency, and —
// with VISOR_CONSOLE_PERF=1 — the dashboard over a 100,000-task plant.
// Printed as "# name: value unit" lines and written to
// tests/e2e/out/console-metrics.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startVisor, startVisorOn, makeDemoPlant, launchBrowser, outDir, repoRoot, meterRequests } from './harness.mjs';
import { signedInPage, ready, go } from './console_support.mjs';

const metrics = existsSync(join(outDir, 'console-metrics.json')) ? JSON.parse(readFileSync(join(outDir, 'console-metrics.json'), 'utf8')) : {};
let browser;

function record(name, value, unit) {
  metrics[name] = { value, unit, at: new Date().toISOString() };
  console.log(`# ${name}: ${value} ${unit}`);
}

before(async () => {
  execFileSync(join(repoRoot, 'scripts/build-web'), { stdio: 'ignore' });
  browser = await launchBrowser();
});

after(async () => {
  writeFileSync(join(outDir, 'console-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await browser?.close();
});

/** On-the-wire body bytes of every finished request of `context`. */
function meter(context) {
  return meterRequests(context, async (req, sizes, res) => ({ path: new URL(req.url()).pathname, body: sizes.responseBodySize,
    gzip: (await res.headerValue('content-encoding')) === 'gzip' }));
}

const kb = (n) => Math.round(n / 102.4) / 10;

/** Signs in, opens the dashboard cold (new context: empty cache), waits until every KPI is drawn. */
async function coldDashboard(server) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const res = await context.request.post(`${server.url}/api/v1/session`, { data: { login: 'manager', password: server.logins.manager.password } });
  assert.equal(res.status(), 200);
  const rows = meter(context);
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${server.url}/`);
  await page.waitForSelector('[data-kpi-ready]', { timeout: 30000 });
  const wall = Date.now() - t0;
  const inPage = await page.evaluate(() => ({ dashboard: window.__visorDashboardMs, numbers: window.__visorDashboardNowMs,
    fromNavigation: window.__visorDashboardReadyAt }));
  await rows.settled();
  return { context, page, rows, wall, inPage };
}

test('cold load: the console is small and compressed', async () => {
  const server = await startVisor();
  try {
    const { context, page, rows, wall } = await coldDashboard(server);
    const statics = rows.filter((r) => !r.path.startsWith('/api/'));
    const bytes = statics.reduce((a, r) => a + r.body, 0);
    record('console_cold_load_static_bytes', bytes, 'bytes');
    record('console_cold_load_static_kb', kb(bytes), 'KB');
    record('console_cold_load_files', statics.length, 'files');
    record('console_cold_load_api_bytes', rows.filter((r) => r.path.startsWith('/api/')).reduce((a, r) => a + r.body, 0), 'bytes');
    record('console_dashboard_ready_demo_ms', wall, 'ms');
    assert.ok(bytes <= 500 * 1024, `cold load ${kb(bytes)} KB ≤ 500 KB`);
    const plain = statics.filter((r) => !r.gzip && /\.(js|css|html)$/.test(r.path));
    assert.deepEqual(plain.map((r) => r.path), [], 'every script and style arrives gzipped');

    // Interactions: opening a page from the menu, and the list's search.
    const t0 = Date.now();
    await page.click('.nav a[data-nav="tasks"]');
    await ready(page, '/tasks');
    record('console_nav_to_tasks_ms', Date.now() - t0, 'ms');
    const t1 = Date.now();
    await page.click('.nav a[data-nav="board"]');
    await ready(page, '/board');
    record('console_nav_to_board_ms', Date.now() - t1, 'ms');

    // A drag on the board moves the card at once (the PATCH follows).
    const stageIds = await page.$$eval('.column', (els) => els.map((e) => e.dataset.stage));
    const card = page.locator(`.column[data-stage="${stageIds[0]}"] .card-task`).first();
    const id = await card.getAttribute('data-id');
    const target = await page.locator(`.column[data-stage="${stageIds[1]}"] .column-head`).boundingBox();
    const box = await card.boundingBox();
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 30, box.y + box.height / 2 + 10, { steps: 2 });
    await page.mouse.move(target.x + target.width / 2, target.y + 80, { steps: 5 });
    // Timed in the page, from the pointer's release to the frame after the
    // card appears in its new column (what the manager sees); the figure
    // seen from here adds the test harness's round trips to the browser.
    await page.evaluate(([sid, cid]) => {
      window.visorDropMs = new Promise((resolve) => {
        let released = 0;
        window.addEventListener('pointerup', () => { released = performance.now(); }, { capture: true, once: true });
        const column = document.querySelector(`.column[data-stage="${sid}"]`);
        const seen = new MutationObserver(() => {
          if (!column.querySelector(`.card-task[data-id="${cid}"]`)) return;
          seen.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(Math.round(performance.now() - released)), 0));
        });
        seen.observe(column, { childList: true, subtree: true });
      });
    }, [stageIds[1], id]);
    const t2 = Date.now();
    await page.mouse.up();
    const dropMs = await page.evaluate(() => window.visorDropMs);
    record('console_board_drop_to_moved_ms', dropMs, 'ms (in the page: release to painted)');
    record('console_board_drop_round_trip_ms', Date.now() - t2, 'ms (incl. the harness round trips)');
    assert.ok(dropMs < 100, `a dropped card moves within 100 ms (${dropMs} ms)`);

    // Typing a search in the task list: results after the 150 ms pause in typing.
    await go(page, '/tasks');
    const first = await page.$eval('tbody tr[data-id]', (el) => el.dataset.id);
    const t3 = Date.now();
    await page.fill('input.search', 'leak');
    await page.waitForFunction((old) => document.querySelector('tbody tr[data-id]')?.dataset.id !== old || !document.querySelector('tbody tr[data-id]'), first);
    record('console_search_to_results_ms', Date.now() - t3, 'ms (incl. 150 ms debounce)');
    await context.close();
  } finally {
    await server.stop();
  }
});

test('dashboard over 100,000 tasks renders in under a second (VISOR_CONSOLE_PERF=1)', { skip: process.env.VISOR_CONSOLE_PERF !== '1' && 'set VISOR_CONSOLE_PERF=1 (builds a 100,000-task plant once, ~1 min)' }, async () => {
  const dir = makeDemoPlant({ tasks: 100000, equipment: 5000 });
  const server = await startVisorOn(dir);
  try {
    // A first load warms the database pages (as a running server would be)
    // and computes the reports of this revision, which the server then keeps:
    // its time is the first load after a change; the runs below are what
    // every later load of an unchanged plant costs.
    const warm = await coldDashboard(server);
    record('console_dashboard_100k_first_load_ms', Math.round(warm.inPage.fromNavigation), 'ms (reports computed, database pages cold)');
    await warm.context.close();
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const { context, wall, inPage } = await coldDashboard(server);
      runs.push({ wall: Math.round(inPage.fromNavigation), goto: wall, dashboard: Math.round(inPage.dashboard), numbers: Math.round(inPage.numbers) });
      await context.close();
    }
    // From the start of the navigation (the HTML request) to every KPI drawn.
    const best = Math.min(...runs.map((r) => r.wall));
    const median = runs.map((r) => r.wall).sort((a, b) => a - b)[1];
    record('console_dashboard_100k_cold_page_ms_median', median, 'ms');
    record('console_dashboard_100k_cold_page_ms_best', best, 'ms');
    record('console_dashboard_100k_goto_ms_median', runs.map((r) => r.goto).sort((a, b) => a - b)[1], 'ms (incl. a new browser context)');
    record('console_dashboard_100k_render_ms_median', runs.map((r) => r.dashboard).sort((a, b) => a - b)[1], 'ms');
    record('console_dashboard_100k_numbers_ms_median', runs.map((r) => r.numbers).sort((a, b) => a - b)[1], 'ms');
    record('console_dashboard_100k_load_average', Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]), '(1 min, 2 cores)');
    // The other pages stay quick on the big plant too.
    const { page, context } = await signedInPage(browser, server, 'manager', { path: '/tasks' });
    await ready(page, '/tasks', 15000);
    for (const path of ['/board', '/floor', '/calendar']) {
      const t0 = Date.now();
      await go(page, path, 15000);
      record(`console_100k_nav_${path.slice(1)}_ms`, Date.now() - t0, 'ms');
    }
    await context.close();
    const budget = Number(process.env.VISOR_CONSOLE_PERF_BUDGET_MS || 1000);
    assert.ok(median < budget, `dashboard drawn in ${median} ms (budget ${budget} ms; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);
  } finally {
    await server.stop();
  }
});
