// Shared harness for the browser suites: starts a real Visor server on a
// free port with a fresh data directory and the demo plant, launches
// Debian's Chromium through playwright-core, and offers a small API client.
// Everything stays on loopback; every wait has a deadline.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });

function visorBinary() {
  const candidates = [process.env.VISOR_BIN, join(repoRoot, 'build/src/app/visor')].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`visor binary not found (tried ${candidates.join(', ')}); build first or set VISOR_BIN`);
  return found;
}

/** Waits until `predicate()` is truthy (it may be async), polling every `every` ms. */
export async function waitFor(predicate, { timeout = 5000, every = 25, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await predicate();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

/**
 * Meters the requests of a browser context: `describe(req, sizes, res)`
 * turns each finished request into a row of the returned array. Its
 * `settled()` waits until every request started so far (the live events
 * stream aside, which never ends) has finished and been metered.
 */
export function meterRequests(context, describe) {
  const rows = [];
  let open = 0;
  const counted = (req) => !new URL(req.url()).pathname.startsWith('/api/v1/events');
  context.on('request', (req) => { if (counted(req)) open += 1; });
  context.on('requestfailed', (req) => { if (counted(req)) open -= 1; });
  context.on('requestfinished', async (req) => {
    const sizes = await req.sizes().catch(() => null);
    const res = await req.response().catch(() => null);
    if (sizes && res) rows.push(await describe(req, sizes, res));
    if (counted(req)) open -= 1;
  });
  rows.settled = () => waitFor(() => open <= 0, { timeout: 10000, what: 'every request finished and metered' });
  return rows;
}

/**
 * Starts `visor serve --demo` on 127.0.0.1:0. Returns { url, logins, dataDir, stop }.
 * `logins` maps login → { role, password } from the demo plant.
 */
export async function startVisor({ args = [], env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'visor-e2e-'));
  const child = spawn(
    visorBinary(),
    ['serve', '--demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--log-level', 'warn',
     '--web-root', join(repoRoot, 'web'), ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const url = await Promise.race([
    waitFor(() => output.match(/serving on (https?:\/\/[^/\s]+)\//)?.[1], { timeout: 30000, what: 'visor to listen' }),
    exited.then((code) => { throw new Error(`visor exited with ${code}:\n${output}`); }),
  ]);
  const logins = {};
  for (const line of readFileSync(join(dataDir, 'demo-logins.txt'), 'utf8').trim().split('\n')) {
    const [login, role, password] = line.split(' ');
    logins[login] = { role, password };
  }
  return {
    url,
    logins,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A minimal API client. `session(url, login, password)` signs in with a
 * cookie (and sends the CSRF token); `device(url, token)` uses a bearer token.
 */
export class Api {
  constructor(url, headers = {}) {
    this.url = url;
    this.headers = headers;
  }

  static async session(url, login, password) {
    const res = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${await res.text()}`);
    const me = await res.json();
    const cookie = res.headers.get('set-cookie').split(';')[0];
    const api = new Api(url, { Cookie: cookie, 'X-CSRF-Token': me.csrf_token });
    api.me = me;
    return api;
  }

  static device(url, token) {
    return new Api(url, { Authorization: `Bearer ${token}` });
  }

  async call(method, path, body, extra = {}) {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...this.headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...extra },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, json, text };
  }

  get(path, extra) { return this.call('GET', path, undefined, extra); }
  post(path, body, extra) { return this.call('POST', path, body ?? {}, extra); }
  patch(path, body, extra) { return this.call('PATCH', path, body, extra); }
  delete(path, extra) { return this.call('DELETE', path, undefined, extra); }
}

/**
 * Like startVisor(), but serves an existing data directory (for instance one
 * filled by makeDemoPlant()) without --demo; stop() leaves the directory in
 * place. Returns { url, logins, dataDir, output, stop }.
 */
export async function startVisorOn(dataDir, { args = [], env = {} } = {}) {
  const child = spawn(
    visorBinary(),
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--log-level', 'warn', '--web-root', join(repoRoot, 'web'), ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const url = await Promise.race([
    waitFor(() => output.match(/serving on (https?:\/\/[^/\s]+)\//)?.[1], { timeout: 60000, what: 'visor to listen' }),
    exited.then((code) => { throw new Error(`visor exited with ${code}:\n${output}`); }),
  ]);
  const logins = {};
  const file = join(dataDir, 'demo-logins.txt');
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
      const [login, role, password] = line.split(' ');
      logins[login] = { role, password };
    }
  }
  return {
    url,
    logins,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/**
 * A data directory holding a demo plant of `tasks` tasks and `equipment`
 * machines (`visor demo-data`), made once per size and kept under
 * tests/e2e/out/ so that later runs reuse it — as long as the schema's
 * migrations are the ones it was made with (a plant made by a branch whose
 * migrations were renumbered since would be "created by a newer Visor").
 */
export function makeDemoPlant({ tasks, equipment }) {
  const dir = join(outDir, `plant-${tasks}-${equipment}`);
  const schema = readdirSync(join(repoRoot, 'src/storage/migrations')).filter((f) => f.endsWith('.sql')).sort().join('\n');
  const stamp = join(dir, 'schema.txt');
  if (existsSync(join(dir, 'demo-logins.txt')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === schema) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(visorBinary(), ['demo-data', '--tasks', String(tasks), '--equipment', String(equipment), '--data-dir', dir],
    { stdio: 'ignore', timeout: 600000 });
  writeFileSync(stamp, schema);
  return dir;
}
