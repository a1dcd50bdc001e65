import assert from 'node:assert/strict';
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
