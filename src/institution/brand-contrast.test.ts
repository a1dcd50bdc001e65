import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accentColourProblem, contrastRatio, normaliseHex, primaryColourProblem } from './brand-contrast.ts';

test('contrast ratios match the WCAG reference values', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  assert.equal(contrastRatio('#777777', '#777777'), 1);
  // #767676 is the lightest grey that passes AA on white; #777777 just fails.
  assert.ok(contrastRatio('#767676', '#ffffff') >= 4.5);
  assert.ok(contrastRatio('#777777', '#ffffff') < 4.5);
});

test('hex colours are read in short and long form, and anything else is refused', () => {
  assert.equal(normaliseHex('#ABC'), '#aabbcc');
  assert.equal(normaliseHex(' #1D4B3A '), '#1d4b3a');
  for (const bad of ['red', '#12345', '1d4b3a', '#1d4b3a;}', 'url(x)'])
    assert.equal(normaliseHex(bad), undefined);
});

const primaryCases: [string, string, RegExp | undefined][] = [
  ['a dark green', '#1d4b3a', undefined],
  ['the default blue', '#0b4f6c', undefined],
  ['grey at the AA edge', '#767676', undefined],
  ['white', '#fff', /cannot be white/],
  ['a light yellow', '#ffe066', /contrast of only 1\.\d+:1/],
  ['grey just under AA', '#777777', /contrast of only 4\.47:1/],
  ['not a colour', 'blue', /must be a hex colour/],
];
for (const [what, colour, problem] of primaryCases) {
  test(`primary colour: ${what} is ${problem ? 'refused' : 'accepted'}`, () => {
    const found = primaryColourProblem(colour);
    if (problem) assert.match(found ?? '', problem);
    else assert.equal(found, undefined);
  });
}

const accentCases: [string, string, RegExp | undefined][] = [
  ['a gold that carries dark text', '#e0a526', undefined],
  ['a dark red that carries white text', '#8b1e1e', undefined],
  ['white', '#ffffff', /cannot be white/],
  ['a middle grey no text reads on', '#777777', /too close to the middle/],
];
for (const [what, colour, problem] of accentCases) {
  test(`accent colour: ${what} is ${problem ? 'refused' : 'accepted'}`, () => {
    const found = accentColourProblem(colour);
    if (problem) assert.match(found ?? '', problem);
    else assert.equal(found, undefined);
  });
}
