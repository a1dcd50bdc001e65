import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import type { AppOptions } from '../../src/app-services.ts';
import { freePort } from './free-port.ts';
import { atShardEnd, isInShard } from './shard-lifetime.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const axeVersion = (require('axe-core/package.json') as { version: string }).version;
export const artifactsDir = join(process.cwd(), 'test-artifacts', 'screenshots');

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * The Chromium the tests drive: CHROMIUM_PATH if set, else Debian's headless shell (package chromium-headless-shell)
 * where it is installed, else Debian's full Chromium. The shell is built from the same source package and version as
 * the full browser, so pages are parsed, laid out, scripted and checked by the same Blink and V8; what it leaves out is
 * the browser's own interface. That interface is what made each new browser context costly: the full browser starts
 * WebUI renderers and does browser-side work for every new page, and a test of four contexts spent about 11 CPU-s in
 * Chromium against 4 in the shell (2026-12-06, e2e/progress.e2e.ts, most of the difference in new pages).
 */
export const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

/**
 * Launches Chromium (`chromiumPath`) the way this machine allows (no sandbox as root, no background networking).
 * `extraArgs` adds switches, e.g. `--host-resolver-rules` to give loopback servers host names of their own.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

let shared: Browser | undefined;

/**
 * The Chromium a test file drives. In a test shard one Chromium serves every file the shard runs, since launching
 * it costs more CPU than many files' own pages; each file works in browser contexts of its own (cookies, storage
 * and cache apart), and `releaseChromium` closes them when the file ends. A file run on its own launches its own.
 */
export async function chromiumForFile(): Promise<Browser> {
  if (!isInShard()) return launchChromium();
  // A browser that crashed during an earlier file is replaced rather than failing every file after it.
  if (shared?.isConnected()) return shared;
  const first = shared === undefined;
  shared = await launchChromium();
  if (first) atShardEnd(async () => shared?.close());
  return shared;
}

/** Ends a file's use of the browser from `chromiumForFile`: the shared one keeps running, without its contexts. */
export async function releaseChromium(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  if (browser !== shared) return browser.close();
  await Promise.all(browser.contexts().map((context) => context.close()));
}

/**
 * The real app on a real port, for the browser to talk to. `env` sets configuration variables (e.g. SMTP_URL);
 * with `linksToItself` the app's PUBLIC_URL is the address it is served at, so links it writes into e-mails and
 * badges open as they are.
 */
export async function startServedApp(
  options: AppOptions & { seed?: boolean; env?: Record<string, string>; linksToItself?: boolean } = {},
) {
  const { linksToItself, ...rest } = options;
  const port = linksToItself ? await freePort() : 0;
  const env = linksToItself ? { ...rest.env, PUBLIC_URL: `http://127.0.0.1:${port}` } : rest.env;
  const app = await startTestApp({ seed: true, ...rest, ...(env ? { env } : {}) });
  await app.http.listen({ port, host: '127.0.0.1' });
  const listening = (app.http.server.address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${listening}` };
}

export type ServedApp = { app: TestApp; baseUrl: string };
type ServedAppOptions = Parameters<typeof startServedApp>[0];

/**
 * Serves the app and readies Chromium (see `chromiumForFile`) before the tests of the enclosing `describe`, and
 * closes the app and the file's browser contexts after them. What it returns reads them once they are there: `served.app`, `served.baseUrl`, `served.browser`.
 * `options` may be a function, for options that an earlier `before` makes (a mail server's address).
 */
export function useServedApp(options: ServedAppOptions | (() => ServedAppOptions) = {}) {
  let served: ServedApp | undefined;
  let browser: Browser | undefined;
  before(async () => {
    served = await startServedApp(typeof options === 'function' ? options() : options);
    browser = await chromiumForFile();
  });
  after(async () => {
    await releaseChromium(browser);
    await served?.app.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The served app is read before its `before` hook has run.');
    return value;
  };
  return {
    get app(): TestApp {
      return started(served).app;
    },
    get baseUrl(): string {
      return started(served).baseUrl;
    },
    get browser(): Browser {
      return started(browser);
    },
  };
}

/**
 * Whether `checkPage` keeps screenshots: yes unless STACKABLE_E2E_SCREENSHOTS is `off`. They are for people to
 * look at, and no test reads them, yet a full-page capture of a long page costs Chromium about as much CPU as the
 * axe run beside it (about a second for the catalog, measured on a loaded machine), and a run keeps over three
 * hundred. CI, where nobody looks at them, turns them off.
 */
export const keepsScreenshots = process.env.STACKABLE_E2E_SCREENSHOTS !== 'off';

/**
 * Keeps a full-page PNG of the page as `<name>.png` among the test artefacts. It asks Chromium through the DevTools
 * protocol rather than `page.screenshot`, which cannot ask for Chromium's fast PNG compression: the same lossless
 * picture, a little larger, for half the CPU (a full-page PNG of a long page took about 0.4 s of it, and a browser
 * test run keeps nearly two hundred). Nothing, with screenshots turned off (`keepsScreenshots`).
 */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  if (!keepsScreenshots) return;
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  const devtools = await page.context().newCDPSession(page);
  try {
    const { cssContentSize: size } = await devtools.send('Page.getLayoutMetrics');
    const { data } = await devtools.send('Page.captureScreenshot', {
      format: 'png',
      optimizeForSpeed: true,
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 },
    });
    writeFileSync(path, Buffer.from(data, 'base64'));
  } catch (error) {
    // Chromium refuses a capture asked for before the new page has drawn its first frame ("Unable to capture
    // screenshot"); Playwright's own call waits for that frame, so the same picture is taken its slower way.
    if (!String(error).includes('Unable to capture screenshot')) throw error;
    await page.screenshot({ path, fullPage: true });
  } finally {
    await devtools.detach();
  }
}

/**
 * Runs axe-core on the current page and fails on any serious or critical violation (WCAG 2.1 A and AA rules),
 * and keeps a full-page screenshot as a test artefact (see `keepsScreenshots`). With `everyImpact`, minor and
 * moderate ones fail too.
 */
export async function checkPage(
  page: Page,
  name: string,
  options: { everyImpact?: boolean } = {},
): Promise<void> {
  await keepScreenshot(page, name);
  // Evaluated rather than added as a script tag (`addScriptTag`): Chromium compiles the source for less CPU this way,
  // about 0.1 s less a check measured on this machine, and no tag is left in the page. A document checked before
  // (the same page again at a phone's width, or after a script changed it) still holds the axe put there then, and
  // sending, compiling and running its half a megabyte of source again cost about 0.13 CPU-s a check for nothing.
  // The version tells our axe from a page's own `window.axe`, which would otherwise be trusted to check the page.
  const present = await page.evaluate(
    () => (window as unknown as { axe?: { version?: unknown } }).axe?.version ?? null,
  );
  if (present !== axeVersion) await page.evaluate(axeSource);
  // Only the violations are read, so axe is asked to aggregate only those (its passes carry every checked node's
  // HTML), and only what the message needs crosses back from the page.
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(o: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target })),
    }));
  });
  const serious = violations
    .filter((v) => options.everyImpact || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(serious, [], `accessibility violations on ${name}`);
}

/**
 * Serves the pages whose address matches `url` without their self-refresh tag while `work` runs: a page that
 * reloads itself (a job's progress) would otherwise cut a screenshot or an axe run short. The page is asked for
 * again first, since a redirect's target is not intercepted.
 */
export async function withoutSelfRefresh<T>(page: Page, url: RegExp, work: () => Promise<T>): Promise<T> {
  const strip = async (route: Route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/, '');
    await route.fulfill({ response, body: html });
  };
  await page.route(url, strip);
  try {
    await page.goto(page.url());
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    return await work();
  } finally {
    await page.unroute(url, strip);
  }
}

/** Signs in through the real form. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL(/\/home$/), page.getByRole('button', { name: 'Sign in' }).click()]);
}
