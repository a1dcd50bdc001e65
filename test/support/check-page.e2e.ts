import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkPage, chromiumForFile, releaseChromium } from './browser.ts';

/**
 * Every browser test leans on `checkPage` to fail on an accessibility violation; this shows it does, on pages
 * made here with one known fault each, and that a sound page passes.
 */
describe('checkPage fails on the violations it is meant to catch', () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await chromiumForFile();
    page = await (await browser.newContext()).newPage();
  });
  after(() => releaseChromium(browser));

  const shell = (body: string) =>
    `<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

  test('a sound page passes, every impact included', async () => {
    await page.setContent(shell('<p>All in order.</p><img src="data:," alt="An empty picture">'));
    await checkPage(page, 'check-page-sound', { everyImpact: true });
  });

  test('a critical violation fails it, naming the rule and the element', async () => {
    await page.setContent(shell('<img id="nameless" src="data:,"><input id="unlabelled" type="text">'));
    await assert.rejects(checkPage(page, 'check-page-critical'), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /image-alt \(critical\)/);
      assert.match(error.message, /#nameless/);
      assert.match(error.message, /label \(critical\)/);
      assert.match(error.message, /#unlabelled/);
      return true;
    });
  });

  test('a moderate violation fails it only when every impact counts', async () => {
    // Two languages named for one page, one for HTML and one for XML, is a moderate finding.
    await page.setContent(shell('<p>Bonjour.</p>').replace('lang="en"', 'lang="en" xml:lang="fr"'));
    await checkPage(page, 'check-page-moderate');
    await assert.rejects(
      checkPage(page, 'check-page-moderate-every', { everyImpact: true }),
      /html-xml-lang-mismatch \(moderate\)/,
    );
  });
});

/** The programs this process's descendants run (their /proc `exe`), found by walking the parent ids. */
function descendantPrograms(): string[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone since the folder was read
    }
  }
  const programs: string[] = [];
  for (const pid of parentOf.keys()) {
    let ancestor = parentOf.get(pid);
    while (ancestor !== undefined && ancestor !== process.pid) ancestor = parentOf.get(ancestor);
    if (ancestor !== process.pid) continue;
    try {
      programs.push(readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // gone, or not ours to read
    }
  }
  return programs;
}

// Debian's wrapper script runs the shell from here; the full browser is /usr/lib/chromium/chromium.
const HEADLESS_SHELL_PROGRAM = '/usr/lib/chromium/chromium-headless-shell';

/**
 * The headless shell is what keeps the browser tests' CPU down (`chromiumPath` in browser.ts); a change that sent
 * them back to the full browser would pass every other test, only slower.
 */
describe('the browser the tests drive', () => {
  const installed = existsSync(HEADLESS_SHELL_PROGRAM) && process.env.CHROMIUM_PATH === undefined;
  let browser: Browser | undefined;
  after(() => releaseChromium(browser));

  test("is Debian's headless shell where it is installed", {
    skip: !installed && 'no headless shell here, or CHROMIUM_PATH names another browser',
  }, async () => {
    browser = await chromiumForFile();
    const programs = descendantPrograms();
    assert.ok(programs.includes(HEADLESS_SHELL_PROGRAM), `running: ${programs.join(', ')}`);
    assert.ok(!programs.includes('/usr/lib/chromium/chromium'), `running: ${programs.join(', ')}`);
  });
});
