import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shareLinks } from './share-links.ts';

describe('share links', () => {
  const page = 'https://badges.example.edu/p/ada-l?x=1&y=2';
  const links = shareLinks(page, 'Ada’s badges & more');

  it('carries the page address intact in every link, however it is encoded', () => {
    for (const link of links) {
      const decoded = decodeURIComponent(link.href.replace(/\+/g, ' '));
      assert.ok(decoded.includes(page), `${link.label}: ${link.href}`);
    }
  });

  it('are plain https or mailto links, so no third-party script is needed', () => {
    for (const link of links) assert.match(link.href, /^(https:\/\/[a-z.]+\/|mailto:\?)/);
  });

  it('never lets the title break out of its parameter', () => {
    for (const link of links) assert.ok(!link.href.includes('& more'), link.href);
  });
});
