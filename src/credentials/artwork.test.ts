import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { anyText } from '../../test/support/arbitraries.ts';
import { type BadgeArtworkInput, renderBadgeSvg } from './artwork.ts';
import { contrastRatio, parseHexColour, WHITE } from './artwork-colour.ts';
import { assertWellFormedXml } from './artwork-xml-check.ts';

const base: BadgeArtworkInput = {
  title: 'Supporting Culturally and Linguistically Diverse Adult Learners',
  level: 'undergraduate',
  institutionShortName: 'CRU',
  institutionName: 'Cascade Ridge University',
  colours: { primary: '#002145', accent: '#f2a900' },
  credits: '3 credits',
};

/** The fill colour of the title's <text> element (the one set in the condensed face). */
function titleFill(svg: string): string {
  const match =
    /<text font-family="DejaVu Sans Condensed[^"]*" font-stretch="condensed" font-size="[\d.]+" fill="(#[0-9a-f]{6})">/.exec(
      svg,
    );
  assert.ok(match?.[1], 'title <text> element not found');
  return match[1];
}

describe('assertWellFormedXml (test helper)', () => {
  test('accepts a small valid document and names its root', () => {
    assert.equal(assertWellFormedXml('<?xml version="1.0"?><a x="1"><b>t &amp; u</b><c/></a>'), 'a');
  });

  test('rejects the mistakes unescaped badge text would cause', () => {
    assert.throws(() => assertWellFormedXml('<a>Gender, & Sexuality</a>'), /bare "&"/);
    assert.throws(() => assertWellFormedXml('<a>x < y</a>'), /raw "<"/);
    assert.throws(() => assertWellFormedXml('<a t="say "hi""/>'), /attribute/);
    assert.throws(() => assertWellFormedXml('<a><b></a></b>'), /does not match/);
    assert.throws(() => assertWellFormedXml('<a/><b/>'), /second root/);
    assert.throws(() => assertWellFormedXml('<a><p:x/></a>'), /undeclared prefix/);
  });
});

describe('renderBadgeSvg', () => {
  test('produces a well-formed 600×600 SVG with an accessible title first', () => {
    const svg = renderBadgeSvg(base);
    assert.equal(assertWellFormedXml(svg), 'svg');
    assert.match(
      svg,
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="600" height="600" viewBox="0 0 600 600"/,
    );
    assert.match(
      svg,
      /^<svg[^>]*>\n<title id="[^"]+">Supporting Culturally and Linguistically Diverse Adult Learners/,
    );
    assert.match(svg, /role="img"/);
  });

  test('escapes every XML special character in user-supplied text', () => {
    const svg = renderBadgeSvg({
      ...base,
      title: `EDI: Gender, Indigeneity, & Sexuality <b>"quoted" 'single'</b>`,
      institutionShortName: 'A&M <U>',
      institutionName: `Texas "A&M" <University>`,
      credits: `1 < 2 & 'three'`,
    });
    assertWellFormedXml(svg);
    assert.ok(svg.includes('Gender, Indigeneity, &amp; Sexuality'));
    assert.ok(svg.includes('&lt;b&gt;&quot;quoted&quot; &apos;single&apos;&lt;/b&gt;'));
    assert.ok(svg.includes('A&amp;M &lt;U&gt;'));
    assert.ok(!svg.includes('<b>'));
    assert.ok(!svg.includes('<U>'));
  });

  test('stays well formed for any text, including unicode and markup-like strings', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      anyText({ maxLength: 60 }),
      fc.constantFrom(']]>', '<!--', '&amp;', '"><script>', "'", '&#0;'),
    );
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.option(text, { nil: undefined }),
        (title, shortName, name, credits) => {
          const svg = renderBadgeSvg({
            ...base,
            title,
            institutionShortName: shortName,
            institutionName: name,
            credits,
          });
          assert.equal(assertWellFormedXml(svg), 'svg');
        },
      ),
      { numRuns: 200 },
    );
  });

  test('is deterministic, and ids differ between different badges', () => {
    assert.equal(renderBadgeSvg(base), renderBadgeSvg({ ...base, colours: { ...base.colours } }));
    const idOf = (svg: string): string | undefined => /<title id="([^"]+)-title"/.exec(svg)?.[1];
    const other = renderBadgeSvg({ ...base, title: 'Data Literacy' });
    assert.ok(idOf(other));
    assert.notEqual(idOf(renderBadgeSvg(base)), idOf(other));
  });

  test('shows the level, institution, MICRO-CREDENTIAL label and credits', () => {
    const svg = renderBadgeSvg(base);
    assert.ok(svg.includes('>UNDERGRADUATE</text>'));
    assert.ok(svg.includes('>CRU</text>'));
    assert.ok(svg.includes('>CASCADE RIDGE UNIVERSITY</textPath>'));
    assert.ok(svg.includes('>MICRO-CREDENTIAL · 3 CREDITS</textPath>'));
    const graduate = renderBadgeSvg({ ...base, level: 'graduate', credits: undefined });
    assert.ok(graduate.includes('>GRADUATE</text>'));
    assert.ok(graduate.includes('>MICRO-CREDENTIAL</textPath>'));
  });

  test('flags pilots and retired offerings but not active ones', () => {
    assert.ok(renderBadgeSvg({ ...base, status: 'pilot' }).includes('>PILOT</text>'));
    assert.ok(renderBadgeSvg({ ...base, status: 'retired' }).includes('>RETIRED</text>'));
    const active = renderBadgeSvg({ ...base, status: 'active' });
    assert.ok(!active.includes('PILOT') && !active.includes('RETIRED'));
  });

  test('wraps the longest demo title onto two or three lines', () => {
    const svg = renderBadgeSvg(base);
    const lines = [...svg.matchAll(/<tspan x="300" y="[\d.]+">([^<]*)<\/tspan>/g)].map((m) => m[1]);
    assert.ok(lines.length >= 2 && lines.length <= 3, `got ${lines.length} lines`);
    assert.equal(lines.join(' '), base.title);
  });

  test('darkens a pale brand colour so the title keeps strong contrast', () => {
    const pale = renderBadgeSvg({ ...base, colours: { primary: '#ffd700', accent: '#fff5cc' } });
    assert.ok(contrastRatio(parseHexColour(titleFill(pale)), WHITE) >= 7);
    // A colour that is already dark enough is used unchanged.
    assert.equal(titleFill(renderBadgeSvg(base)), '#002145');
  });

  test('rejects colours that are not hex, so attributes cannot be injected', () => {
    assert.throws(
      () => renderBadgeSvg({ ...base, colours: { primary: 'red" onload="x', accent: '#fff' } }),
      RangeError,
    );
    assert.throws(
      () => renderBadgeSvg({ ...base, colours: { primary: '#002145', accent: 'gold' } }),
      RangeError,
    );
  });
});
