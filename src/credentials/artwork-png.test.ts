import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderBadgeSvg } from './artwork.ts';
import { renderBadgePng } from './artwork-png.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads width and height from the IHDR chunk, which must come first after the signature. */
function readIhdrSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), 'IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const svg = renderBadgeSvg({
  title: 'Supporting Culturally and Linguistically Diverse Adult Learners',
  level: 'graduate',
  institutionShortName: 'CRU',
  institutionName: 'Cascade Ridge University',
  colours: { primary: '#002145', accent: '#f2a900' },
});

describe('renderBadgePng', () => {
  test('renders a 600×600 PNG by default', async () => {
    const png = await renderBadgePng(svg);
    assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
    assert.deepEqual(readIhdrSize(png), { width: 600, height: 600 });
  });

  test('scales to the requested width, including several renders at once', async () => {
    const [small, large] = await Promise.all([renderBadgePng(svg, 120), renderBadgePng(svg, 1024)]);
    assert.deepEqual(readIhdrSize(small), { width: 120, height: 120 });
    assert.deepEqual(readIhdrSize(large), { width: 1024, height: 1024 });
  });

  test('draws text with the bundled fonts (text changes the pixels)', async () => {
    // Without fonts resvg silently drops text, so both images would come out identical.
    const frame = (body: string): string =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40"><rect width="100" height="40" fill="#fff"/>${body}</svg>`;
    const blank = await renderBadgePng(frame(''), 100);
    const bold = await renderBadgePng(
      frame('<text x="4" y="30" font-size="28" font-weight="bold">Ab</text>'),
      100,
    );
    const condensed = await renderBadgePng(
      frame(
        '<text x="4" y="30" font-size="28" font-family="DejaVu Sans" font-stretch="condensed" font-weight="bold">Ab</text>',
      ),
      100,
    );
    assert.notDeepEqual(bold, blank);
    assert.notDeepEqual(condensed, blank);
    assert.notDeepEqual(condensed, bold);
  });

  test('rejects widths that are not sensible pixel counts', async () => {
    await assert.rejects(renderBadgePng(svg, 0), RangeError);
    await assert.rejects(renderBadgePng(svg, 10_000), RangeError);
    await assert.rejects(renderBadgePng(svg, 12.5), RangeError);
  });
});
