import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertWellFormedXml } from './artwork-xml-check.ts';
import { renderQrSvg } from './qr-code.ts';

describe('renderQrSvg', () => {
  test('returns a well-formed SVG with an escaped, accessible title', async () => {
    const url = 'https://credentials.example.edu/verify/abc?lang=fr&view="full"';
    const svg = await renderQrSvg(url);
    assert.equal(assertWellFormedXml(svg), 'svg');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"><title>/);
    assert.ok(
      svg.includes(
        '<title>QR code linking to https://credentials.example.edu/verify/abc?lang=fr&amp;view=&quot;full&quot;</title>',
      ),
    );
    assert.match(svg, /<path [^>]*d="M/);
  });

  test('encodes the URL: different links give different codes, the same link the same code', async () => {
    const a = await renderQrSvg('https://example.edu/a');
    const b = await renderQrSvg('https://example.edu/b');
    const path = (svg: string): string | undefined => /stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
    assert.ok(path(a));
    assert.notEqual(path(a), path(b));
    assert.equal(await renderQrSvg('https://example.edu/a'), a);
  });

  test('grows with longer content', async () => {
    const size = (svg: string): number => Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
    const short = size(await renderQrSvg('https://e.du/1'));
    const long = size(await renderQrSvg(`https://example.edu/verify/${'x'.repeat(300)}`));
    assert.ok(long > short, `${long} should exceed ${short}`);
  });

  test('rejects an empty URL', async () => {
    await assert.rejects(renderQrSvg('  '), RangeError);
  });
});
