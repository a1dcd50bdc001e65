import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { anyCodePoint, anyText, aWebUrl } from './arbitraries.ts';

test("anyText gives fast-check's binary strings, value for value", () => {
  for (const seed of [1, 42, 2026]) {
    const ours = fc.sample(anyText({ maxLength: 40 }), { seed, numRuns: 300 });
    const theirs = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed, numRuns: 300 });
    assert.deepEqual(ours, theirs);
  }
});

test('anyCodePoint reaches both ends and both sides of the surrogates, and never a surrogate', () => {
  const seen = fc.sample(anyCodePoint, { seed: 7, numRuns: 5000 }).map((c) => c.codePointAt(0)!);
  assert.ok(seen.every((code) => code < 0xd800 || code >= 0xe000));
  assert.ok(seen.some((code) => code === 0));
  assert.ok(seen.some((code) => code === 0x10ffff));
  assert.ok(seen.some((code) => code >= 0xe000 && code < 0x10000));
});

test('a string anyText did not make itself still shrinks: each choice is worked out back from its code point', () => {
  for (const c of ['\u{1F600}', '\uD7FF', '\uE000', '\u{10FFFF}']) {
    const run = fc.check(
      fc.property(anyText(), (s) => !s.includes(c)),
      { examples: [[`ab${c}cd`]], numRuns: 1 },
    );
    assert.equal(run.failed, true);
    assert.deepEqual(run.counterexample, [c]);
  }
  for (const notOne of ['\uD800', 'ab', ''])
    assert.equal(anyCodePoint.canShrinkWithoutContext(notOne), false);
});

test("no test asks fast-check for its 'binary' string unit, or for URL parts built on it (anyText, aWebUrl)", () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (
        /\.tsx?$/.test(name) &&
        /unit:\s*'binary'|fc\.web(Url|Path|Segment|QueryParameters|Fragments)\(/.test(
          readFileSync(path, 'utf8'),
        )
      )
        offenders.push(path);
    }
  };
  const root = join(import.meta.dirname, '../..');
  for (const dir of ['src', 'test', 'e2e', 'bench']) if (existsSync(join(root, dir))) walk(join(root, dir));
  assert.deepEqual(
    offenders
      .map((path) => relative(root, path))
      .filter((path) => !path.startsWith('test/support/arbitraries')),
    [],
  );
});

test('aWebUrl makes URLs a WHATWG parser takes as they are, percent-encoded characters included', () => {
  const urls = fc.sample(aWebUrl(), { seed: 3, numRuns: 2000 });
  for (const url of urls) assert.equal(new URL(url).protocol.startsWith('http'), true, url);
  assert.ok(
    urls.some((url) => /%F0%[89AB]/i.test(url)),
    'no four-byte character was percent-encoded',
  );
  assert.ok(urls.some((url) => url.includes('?')) && urls.some((url) => url.includes('#')));
  assert.ok(
    urls.some((url) => /\/[^/]+\/[^/?#]+/.test(new URL(url).pathname)),
    'no path of two segments',
  );
});
