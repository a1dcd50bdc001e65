import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { anyText } from '../../test/support/arbitraries.ts';
import { renderBadgeSvg } from './artwork.ts';
import { assertWellFormedXml } from './artwork-xml-check.ts';
import { bakeSvg, extractFromSvg, OPEN_BADGES_NAMESPACE, SvgFormatError } from './bake-svg.ts';

const JWT =
  'eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuZWR1In0.c2lnbmF0dXJlLWJ5dGVz';
const JSON_CREDENTIAL = JSON.stringify({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'EDI: Gender, Indigeneity, & Sexuality <b> ]]> “done”',
  proof: { type: 'DataIntegrityProof', proofValue: 'z3abc' },
});

const badge = renderBadgeSvg({
  title: 'EDI: Gender, Indigeneity, & Sexuality',
  level: 'undergraduate',
  institutionShortName: 'NIT',
  institutionName: 'Northwind Institute of Technology',
  colours: { primary: '#005493', accent: '#f5aa1c' },
  status: 'pilot',
});

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** Characters XML 1.0 can carry, so generated credentials are ones a real baker must accept. */
function isXmlChar(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  const isControl = code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd;
  return !isControl && code !== 0xfffe && code !== 0xffff;
}
const xmlText = (maxLength: number) =>
  anyText({ maxLength }).map((s) => Array.from(s).filter(isXmlChar).join(''));

describe('bakeSvg / extractFromSvg', () => {
  test('puts a JWT in the verify attribute right after the <svg> start tag', () => {
    const baked = bakeSvg(badge, JWT);
    assert.equal(assertWellFormedXml(baked), 'svg');
    const rootEnd = baked.indexOf('>') + 1;
    assert.match(baked.slice(0, rootEnd), / xmlns:openbadges="https:\/\/purl\.imsglobal\.org\/ob\/v3p0">$/);
    assert.ok(baked.slice(rootEnd).startsWith(`\n<openbadges:credential verify="${JWT}"/>\n<title`));
    assert.equal(extractFromSvg(baked), JWT);
  });

  test('puts a JSON credential in CDATA, splitting any "]]>" so the XML stays valid', () => {
    const baked = bakeSvg(badge, JSON_CREDENTIAL);
    assertWellFormedXml(baked);
    assert.ok(baked.includes('<openbadges:credential><![CDATA[{'));
    assert.ok(baked.includes(']]]]><![CDATA[>'));
    assert.equal(extractFromSvg(baked), JSON_CREDENTIAL);
  });

  test('round-trips JSON credentials holding any text, including unicode and "]]>"', () => {
    const value = fc.oneof(xmlText(80), fc.constantFrom(']]>', ']]]]>', '<![CDATA[', '&amp;', '"\'<>'));
    fc.assert(
      fc.property(fc.dictionary(xmlText(10), value, { maxKeys: 5 }), value, (fields, name) => {
        const credential = JSON.stringify({ type: ['VerifiableCredential'], name, ...fields });
        const baked = bakeSvg(badge, credential);
        assertWellFormedXml(baked);
        assert.equal(extractFromSvg(baked), credential);
      }),
      { numRuns: 100 },
    );
  });

  test('round-trips any other string through the verify attribute', () => {
    fc.assert(
      fc.property(
        fc.oneof(xmlText(120), fc.constantFrom(']]>', 'a\tb\nc\r\nd', '&quot;', '\'"')),
        (credential) => {
          fc.pre(!credential.trimStart().startsWith('{'));
          const baked = bakeSvg(badge, credential);
          assertWellFormedXml(baked);
          assert.equal(extractFromSvg(baked), credential);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('re-baking replaces the credential and keeps one namespace declaration', () => {
    const once = bakeSvg(badge, JWT);
    const twice = bakeSvg(once, JSON_CREDENTIAL);
    assertWellFormedXml(twice);
    assert.equal(extractFromSvg(twice), JSON_CREDENTIAL);
    assert.equal(count(twice, '<openbadges:credential'), 1);
    assert.equal(count(twice, 'xmlns:openbadges='), 1);
    // Baking the same credential again gives the same document.
    assert.equal(bakeSvg(once, JWT), once);
  });

  test('returns null for an SVG without a credential', () => {
    assert.equal(extractFromSvg(badge), null);
  });

  test('reads credentials written with other quoting, spacing and escaping', () => {
    const singleQuoted = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns='http://www.w3.org/2000/svg' xmlns:openbadges='${OPEN_BADGES_NAMESPACE}'>
  <openbadges:credential
     verify = 'a.b.c' ></openbadges:credential >
</svg>`;
    assert.equal(extractFromSvg(singleQuoted), 'a.b.c');
    const escapedJson = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OPEN_BADGES_NAMESPACE}">
  <openbadges:credential>
    {"name":"A &amp; B &lt;1&gt; &#x1F393;"}
  </openbadges:credential>
</svg>`;
    assert.equal(extractFromSvg(escapedJson), '{"name":"A & B <1> 🎓"}');
    const spacedCdata = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OPEN_BADGES_NAMESPACE}"><openbadges:credential>
      <![CDATA[{"a":1}]]>
    </openbadges:credential></svg>`;
    assert.equal(extractFromSvg(spacedCdata), '{"a":1}');
  });

  test('ignores credential markup inside comments', () => {
    const commented = `<svg xmlns="http://www.w3.org/2000/svg"><!-- <openbadges:credential verify="x.y.z"/> --></svg>`;
    assert.equal(extractFromSvg(commented), null);
    const baked = bakeSvg(commented, JWT);
    assert.equal(extractFromSvg(baked), JWT);
    assert.ok(baked.includes('<!-- <openbadges:credential verify="x.y.z"/> -->'));
  });

  test('bakes SVGs with a prolog, a doctype, a ">" inside an attribute, or a self-closing root', () => {
    const prolog = `<?xml version="1.0"?>
<!-- made by hand -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" data-note="a > b"><rect width="1" height="1"/></svg>`;
    const baked = bakeSvg(prolog, JWT);
    assertWellFormedXml(baked);
    assert.ok(
      baked.includes(
        `data-note="a > b" xmlns:openbadges="${OPEN_BADGES_NAMESPACE}">\n<openbadges:credential`,
      ),
    );
    assert.equal(extractFromSvg(baked), JWT);

    const empty = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"/>', JSON_CREDENTIAL);
    assert.equal(assertWellFormedXml(empty), 'svg');
    assert.equal(extractFromSvg(empty), JSON_CREDENTIAL);
  });

  test('refuses documents that are not SVG and credentials XML cannot carry', () => {
    assert.throws(() => bakeSvg('<html><svg/></html>', JWT), SvgFormatError);
    assert.throws(() => bakeSvg('just text', JWT), SvgFormatError);
    assert.throws(() => bakeSvg(badge, 'bad\u0000byte'), RangeError);
    assert.throws(
      () => bakeSvg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:other"/>`, JWT),
      SvgFormatError,
    );
  });

  // No timing assertion (speed belongs in benchmarks); the generous timeout only stops a catastrophic
  // backtracking regression from hanging the suite.
  test('handles 10 MB inputs, including pathological ones', { timeout: 120_000 }, () => {
    const bigPath = `<path d="${'M0 0 L1 1 '.repeat(1_000_000)}"/>`;
    const big = `<svg xmlns="http://www.w3.org/2000/svg">${bigPath}</svg>`;
    assert.equal(extractFromSvg(bakeSvg(big, JWT)), JWT);
    // An element that opens but never ends, and an attribute that never closes its quote.
    const unclosed = `<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential>${' '.repeat(10_000_000)}`;
    assert.throws(() => extractFromSvg(unclosed), SvgFormatError);
    const openQuote = `<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential verify="${'a'.repeat(10_000_000)}`;
    assert.throws(() => extractFromSvg(openQuote), SvgFormatError);
    const manyTags = `<svg xmlns="http://www.w3.org/2000/svg">${'<g>'.repeat(2_000_000)}`;
    assert.equal(extractFromSvg(manyTags), null);
  });
});
