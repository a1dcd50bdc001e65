#!/usr/bin/env node
// Takes screenshots of pages in Debian's Chromium, for looking at the UI while developing:
//   node scripts/screenshot.mjs <out-dir> <url> [url ...]   (set LOGIN=email:password to sign in first)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [outDir, ...urls] = process.argv.slice(2);
if (!outDir || urls.length === 0) {
  console.error('usage: node scripts/screenshot.mjs <out-dir> <url> [url ...]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: Number(process.env.WIDTH ?? 1280), height: 900 } });
if (process.env.LOGIN) {
  const [email, password] = process.env.LOGIN.split(':');
  const origin = new URL(urls[0]).origin;
  await page.goto(`${origin}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action="/login"] button[type=submit]');
}
for (const [i, url] of urls.entries()) {
  await page.goto(url);
  const file = join(
    outDir,
    `${String(i).padStart(2, '0')}-${new URL(url).pathname.replace(/[^a-z0-9]+/gi, '_')}.png`,
  );
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
