import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { escapeXml, layoutTitle, measureTextEm, type TitleBox, truncateToWidth } from './artwork-text.ts';

const box: TitleBox = {
  width: 400,
  height: 166,
  maxLines: 3,
  maxFontSize: 64,
  minFontSize: 26,
  lineHeight: 1.14,
  face: 'condensed',
};
const LONGEST_DEMO_TITLE = 'Supporting Culturally and Linguistically Diverse Adult Learners';

function assertFits(lines: string[], fontSize: number): void {
  for (const line of lines) {
    assert.ok(measureTextEm(line, 'condensed') * fontSize <= box.width + 1e-9, `"${line}" overflows`);
  }
}

describe('escapeXml', () => {
  test('escapes the five special characters and drops characters XML forbids', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
    assert.equal(escapeXml('x\u0000y\u0008z\ttab'), 'xyz\ttab');
    assert.equal(escapeXml('Québec 🎓'), 'Québec 🎓');
  });
});

describe('measureTextEm', () => {
  test('uses real glyph widths: wide letters measure more, condensed is narrower', () => {
    assert.ok(measureTextEm('WWW', 'bold') > measureTextEm('iii', 'bold') * 2);
    assert.equal(
      measureTextEm('Data', 'condensed').toFixed(4),
      (measureTextEm('Data', 'bold') * 0.9).toFixed(4),
    );
    assert.ok(measureTextEm('AB', 'bold', 0.1) > measureTextEm('AB', 'bold'));
  });
});

/**
 * Reads advance widths straight from a bundled TrueType file (cmap format 4 plus hmtx), so the
 * width tables in artwork-text.ts are checked against the fonts that actually render the badge.
 */
function readAdvanceWidthsEm(fontFile: string, chars: string[]): number[] {
  const bytes = readFileSync(new URL(`./fonts/${fontFile}`, import.meta.url));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  for (let i = 0; i < view.getUint16(4); i += 1) {
    const record = 12 + i * 16;
    tables.set(bytes.toString('latin1', record, record + 4), view.getUint32(record + 8));
  }
  const head = tables.get('head')!;
  const hhea = tables.get('hhea')!;
  const hmtx = tables.get('hmtx')!;
  const cmap = tables.get('cmap')!;
  const unitsPerEm = view.getUint16(head + 18);
  const metricCount = view.getUint16(hhea + 34);
  let format4 = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i += 1) {
    const record = cmap + 4 + i * 8;
    if (view.getUint16(record) === 3 && view.getUint16(record + 2) === 1)
      format4 = cmap + view.getUint32(record + 4);
  }
  const segments = view.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const ranges = deltas + segments * 2;
  const glyphOf = (code: number): number => {
    for (let s = 0; s < segments; s += 1) {
      if (code > view.getUint16(ends + s * 2)) continue;
      const start = view.getUint16(starts + s * 2);
      if (code < start) return 0;
      const delta = view.getInt16(deltas + s * 2);
      const range = view.getUint16(ranges + s * 2);
      if (range === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(ranges + s * 2 + range + (code - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  return chars.map((ch) => {
    const glyph = Math.min(glyphOf(ch.codePointAt(0) ?? 0), metricCount - 1);
    return view.getUint16(hmtx + glyph * 4) / unitsPerEm;
  });
}

describe('width tables', () => {
  const sample = [
    ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)),
    ...Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)),
    ...'–—‘’“”…•',
  ];

  for (const [file, face] of [
    ['DejaVuSans-Bold.ttf', 'bold'],
    ['DejaVuSansCondensed-Bold.ttf', 'condensed'],
  ] as const) {
    test(`match the advance widths in ${file}`, () => {
      const actual = readAdvanceWidthsEm(file, sample);
      sample.forEach((ch, i) => {
        assert.ok(Math.abs(measureTextEm(ch, face) - actual[i]!) < 0.002, `width of "${ch}" in ${file}`);
      });
    });
  }
});

describe('truncateToWidth', () => {
  test('keeps text that fits and ellipsises text that does not', () => {
    assert.equal(truncateToWidth('CRU', 10, 'bold'), 'CRU');
    const cut = truncateToWidth('University of Somewhere Very Far Away', 9, 'bold');
    assert.equal(cut, 'University of…');
    assert.ok(measureTextEm(cut, 'bold') <= 9);
    // A single word too long to keep whole is cut inside the word.
    const word = truncateToWidth('Pneumonoultramicroscopic', 5, 'bold');
    assert.ok(word.startsWith('Pneu') && word.endsWith('…') && measureTextEm(word, 'bold') <= 5);
    // Separators are not left dangling before the ellipsis.
    assert.equal(truncateToWidth('Montréal, Faculté des arts', 9, 'bold'), 'Montréal…');
    assert.equal(truncateToWidth('Short', 10, 'bold', 0, true), 'Short…');
  });
});

describe('layoutTitle', () => {
  test('wraps the longest demo title onto 2-3 balanced lines that fit', () => {
    const { lines, fontSize } = layoutTitle(LONGEST_DEMO_TITLE, box);
    assert.ok(lines.length >= 2 && lines.length <= 3);
    assert.equal(lines.join(' '), LONGEST_DEMO_TITLE);
    assertFits(lines, fontSize);
    assert.ok(fontSize >= box.minFontSize && fontSize < box.maxFontSize);
    // Balanced: no line is less than half as wide as the widest.
    const widths = lines.map((line) => measureTextEm(line, 'condensed'));
    assert.ok(Math.min(...widths) > Math.max(...widths) / 2);
  });

  test('sets short titles larger than long ones', () => {
    const short = layoutTitle('Data Literacy', box);
    const long = layoutTitle(LONGEST_DEMO_TITLE, box);
    assert.ok(short.fontSize > long.fontSize + 10);
    assert.ok(short.lines.length <= 2);
  });

  test('clips a title too long for three lines with an ellipsis', () => {
    const title = Array.from({ length: 40 }, (_, i) => `Word${i}`).join(' ');
    const { lines, fontSize } = layoutTitle(title, box);
    assert.equal(lines.length, 3);
    assert.equal(fontSize, box.minFontSize);
    assert.ok(lines[2]?.endsWith('…'));
    assertFits(lines, fontSize);
  });

  test('always returns at most three lines that fit the box', () => {
    const word = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .filter((w) => w.trim() === w && w !== '');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 25 }), (words) => {
        const { lines, fontSize } = layoutTitle(words.join(' '), box);
        assert.ok(lines.length >= 1 && lines.length <= box.maxLines);
        assert.ok(fontSize >= box.minFontSize && fontSize <= box.maxFontSize);
        assertFits(lines, fontSize);
        const clipped = lines.at(-1)?.endsWith('…') ?? false;
        // Unclipped layouts keep every character in order (over-long words may be hard-broken).
        const squash = (text: string): string => text.replace(/\s+/g, '');
        if (!clipped) assert.equal(squash(lines.join('')), squash(words.join('')));
      }),
      { numRuns: 300 },
    );
  });
});
