import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pngOf } from '../../test/support/uploads.ts';
import { assertWellFormedXml } from '../credentials/artwork-xml-check.ts';
import { checkLogo, MAX_LOGO_BYTES } from './logo-file.ts';
import { sanitizeSvg } from './svg-sanitizer.ts';

const clean = (svg: string) => {
  const result = sanitizeSvg(svg);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  assertWellFormedXml(result.svg);
  return result;
};

test('a plain logo keeps its drawing, gradients and internal references', () => {
  const { svg, removed } = clean(
    `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
      <title>Cascade &amp; Ridge</title>
      <defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs>
      <rect width="10" height="10" fill="url(#g)" style="stroke: url('#g')"/><use xlink:href="#g"/>
    </svg>`,
  );
  assert.deepEqual(removed, []);
  assert.match(svg, /<title>Cascade &amp; Ridge<\/title>/);
  assert.match(svg, /fill="url\(#g\)"/);
  assert.match(svg, /xlink:href="#g"/);
});

const attacks: [string, string, RegExp][] = [
  ['a script element', '<script>alert(1)</script>', /script|alert/i],
  ['a script in CDATA', '<script><![CDATA[alert(1)]]></script>', /alert/],
  ['an event handler', '<rect onload="alert(1)" ONCLICK="x()" width="1"/>', /onload|onclick/i],
  [
    'foreignObject',
    '<foreignObject><iframe src="https://evil.example"/></foreignObject>',
    /foreignObject|iframe/i,
  ],
  ['an external href', '<use href="https://evil.example/x.svg#a"/>', /evil/],
  ['a javascript link', '<a xlink:href="javascript:alert(1)"><rect width="1"/></a>', /javascript/],
  ['an external image', '<image href="https://evil.example/track.png" width="1" height="1"/>', /evil|<image/],
  ['an SVG data image', '<image href="data:image/svg+xml;base64,PHN2Zz4=" width="1"/>', /svg\+xml/],
  ['a style loading a URL', '<style>rect { fill: url(https://evil.example/x) }</style>', /evil|<style/],
  ['a style importing', '<style>@import "https://evil.example/a.css";</style>', /import|evil/],
  ['CSS escapes spelling url', '<rect style="fill: \\75 rl(https://evil.example)" width="1"/>', /evil/],
  ['an attribute loading a URL', '<rect fill="url(https://evil.example/p)" width="1"/>', /evil/],
  ['animation rewriting a link', '<set attributeName="href" to="javascript:alert(1)"/>', /javascript|<set/],
  ['an xhtml namespace trick', '<g xmlns="http://www.w3.org/1999/xhtml"><rect width="1"/></g>', /xhtml/],
  ['a prefixed script', '<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>', /alert/],
];
for (const [what, inner, leftover] of attacks) {
  test(`the sanitizer removes ${what}`, () => {
    const { svg, removed } = clean(`<svg xmlns="http://www.w3.org/2000/svg">${inner}<circle r="1"/></svg>`);
    assert.doesNotMatch(svg, leftover);
    assert.match(svg, /<circle r="1"\/>/);
    assert.ok(removed.length > 0, 'says what it removed');
  });
}

test('entities other than XML’s own are never expanded, and a DOCTYPE is skipped', () => {
  const bomb = `<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>
    <svg xmlns="http://www.w3.org/2000/svg"><rect width="1" id="&b;"/></svg>`;
  const { svg } = clean(bomb);
  assert.doesNotMatch(svg, /aaaa|passwd|ENTITY/);
  assert.equal(sanitizeSvg('<svg><text>&x;</text></svg>').ok, false);
});

test('files that are not SVG, or not well formed, are refused with a reason', () => {
  for (const text of [
    '<html><body/></html>',
    '<svg><g></svg>',
    '<svg/><svg/>',
    '<svg a="1" a="2"/>',
    'hello',
  ]) {
    const result = sanitizeSvg(text);
    assert.equal(result.ok, false, text);
  }
});

test('a PNG is accepted by its signature, without its text metadata', () => {
  const withText = pngOf(64, 32, [['tEXt', Buffer.from('Author\0Someone private')]]);
  const result = checkLogo(withText);
  assert.ok(result.ok);
  assert.equal(result.contentType, 'image/png');
  assert.doesNotMatch(Buffer.from(result.content).toString('latin1'), /Someone private/);
  assert.match(result.sha256, /^[0-9a-f]{64}$/);
});

test('PNGs of silly sizes, damaged PNGs and other files are refused', () => {
  const problem = (bytes: Uint8Array, truncated = false) => {
    const result = checkLogo(bytes, truncated);
    return result.ok ? '' : result.problem;
  };
  assert.match(problem(pngOf(8, 64)), /between 16 and 4096/);
  assert.match(problem(pngOf(5000, 100)), /5000 × 100/);
  const damaged = pngOf(64, 64);
  damaged[20] = (damaged[20] ?? 0) ^ 0xff;
  assert.match(problem(damaged), /damaged/);
  assert.match(problem(Buffer.concat([pngOf(64, 64), Buffer.from('<script>')])), /after the end/);
  assert.match(problem(Buffer.from('GIF89a....')), /PNG or SVG/);
  assert.match(problem(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), /PNG or SVG/);
  assert.match(problem(Buffer.alloc(MAX_LOGO_BYTES + 1, 0x20)), /at most 256 KB/);
  assert.match(problem(Buffer.alloc(10), true), /at most 256 KB/);
  assert.match(problem(Buffer.alloc(0)), /empty/);
});

test('an SVG logo is stored as the sanitizer wrote it', () => {
  const result = checkLogo(
    Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><path d="M0 0h1"/></svg>'),
  );
  assert.ok(result.ok);
  assert.equal(result.contentType, 'image/svg+xml');
  assert.doesNotMatch(Buffer.from(result.content).toString(), /onload/);
  assert.deepEqual(result.removed, ['event handler attributes']);
});
