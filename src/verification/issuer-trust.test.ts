import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { anyText } from '../../test/support/arbitraries.ts';
import { decideIssuerTrust, foldName, type IssuerTrustInput } from './issuer-trust.ts';

const OURS = 'did:web:cascade.example';
const PARTNER = 'did:web:partner.example';
const STRANGER = 'did:key:z6MkStranger';
const IMPOSTOR = 'did:web:impostor.example';

const input = (overrides: Partial<IssuerTrustInput>): IssuerTrustInput => ({
  proofPassed: true,
  signerDid: STRANGER,
  issuerId: STRANGER,
  claimedName: 'Somebody',
  ourDids: [OURS, 'did:key:z6MkOldKey'],
  ourName: 'Cascade Ridge University',
  knownIssuer: (did) =>
    did === PARTNER
      ? { name: 'Partner College', source: 'added by an administrator' }
      : did === IMPOSTOR
        ? { name: 'CASCADE RIDGE  University', source: 'listed in a careless registry' }
        : null,
  ...overrides,
});

const cases: [
  string,
  Partial<IssuerTrustInput>,
  { level: string; name: string | null; usesOurName: boolean; message: RegExp },
][] = [
  [
    'our did:web',
    { signerDid: OURS, issuerId: OURS },
    {
      level: 'ours',
      name: 'Cascade Ridge University',
      usesOurName: false,
      message: /^Issued by Cascade Ridge University\.$/,
    },
  ],
  [
    'a rotated did:key of ours',
    { signerDid: 'did:key:z6MkOldKey', issuerId: 'did:key:z6MkOldKey' },
    { level: 'ours', name: 'Cascade Ridge University', usesOurName: false, message: /^Issued by/ },
  ],
  [
    'our name from the database, not the badge',
    { signerDid: OURS, issuerId: OURS, claimedName: 'Evil' },
    { level: 'ours', name: 'Cascade Ridge University', usesOurName: false, message: /Cascade Ridge/ },
  ],
  [
    'a known issuer',
    { signerDid: PARTNER, issuerId: PARTNER, claimedName: 'Partner College' },
    {
      level: 'known',
      name: 'Partner College',
      usesOurName: false,
      message:
        /^Signed by Partner College \(did:web:partner\.example\), a known issuer \(added by an administrator\)\.$/,
    },
  ],
  [
    'a known issuer using our name',
    { signerDid: PARTNER, issuerId: PARTNER, claimedName: 'Cascade Ridge University' },
    {
      level: 'known',
      name: 'Partner College',
      usesOurName: true,
      message:
        /calls itself 'Cascade Ridge University'.*uses the name of this institution but was not issued by it/,
    },
  ],
  [
    'a known entry under our name is not trusted',
    { signerDid: IMPOSTOR, issuerId: IMPOSTOR, claimedName: 'Cascade Ridge University' },
    {
      level: 'unknown',
      name: null,
      usesOurName: true,
      message: /^Signed by did:web:impostor\.example, which is not a known issuer/,
    },
  ],
  [
    'a stranger',
    {},
    {
      level: 'unknown',
      name: null,
      usesOurName: false,
      message: /^Signed by did:key:z6MkStranger, which is not a known issuer; it calls itself 'Somebody'\.$/,
    },
  ],
  [
    'a stranger with our name',
    { claimedName: 'cascade  ridge UNIVERSITY' },
    {
      level: 'unknown',
      name: null,
      usesOurName: true,
      message: /uses the name of this institution but was not issued by it\.$/,
    },
  ],
  [
    'a stranger with no name',
    { claimedName: null },
    { level: 'unknown', name: null, usesOurName: false, message: /it calls itself no name/ },
  ],
  [
    'no valid signature',
    { proofPassed: false, signerDid: null, issuerId: OURS, claimedName: 'Cascade Ridge University' },
    {
      level: 'unverified',
      name: null,
      usesOurName: true,
      message: /^No valid signature, so nobody can be named as its signer/,
    },
  ],
  [
    'a valid signature of someone other than the named issuer',
    { signerDid: STRANGER, issuerId: OURS },
    {
      level: 'unverified',
      name: null,
      usesOurName: false,
      message: /does not vouch for the issuer it names/,
    },
  ],
  [
    'a proof with no single signer',
    { signerDid: null },
    { level: 'unverified', name: null, usesOurName: false, message: /^No valid signature/ },
  ],
];

for (const [name, overrides, expected] of cases) {
  test(`issuer trust: ${name}`, () => {
    const trust = decideIssuerTrust(input(overrides));
    assert.equal(trust.level, expected.level);
    assert.equal(trust.name, expected.name);
    assert.equal(trust.usesOurName, expected.usesOurName);
    assert.match(trust.message, expected.message);
  });
}

test('only a signer among our DIDs is ever "ours", whatever the badge says about itself', () => {
  fc.assert(
    fc.property(
      fc.string(),
      fc.option(fc.string()),
      fc.string(),
      fc.boolean(),
      (signer, claimed, issuerId, passed) => {
        const trust = decideIssuerTrust(
          input({ signerDid: signer, issuerId, claimedName: claimed, proofPassed: passed }),
        );
        if (trust.level === 'ours')
          assert.ok(passed && signer === issuerId && [OURS, 'did:key:z6MkOldKey'].includes(signer));
        if (trust.level !== 'ours') assert.ok(!trust.message.startsWith('Issued by'));
      },
    ),
  );
});

test('folded names ignore case, spacing and compatibility forms, nothing else', () => {
  assert.equal(foldName('  Cascade\tRidge   UNIVERSITY '), foldName('Cascade Ridge University'));
  assert.equal(foldName('Ｃａｓｃａｄｅ'), foldName('cascade'));
  assert.notEqual(foldName('Cascade Ridge Univ.'), foldName('Cascade Ridge University'));
});

test('a folded name is the same whether or not it is plain ASCII: the shortcut past NFKC changes nothing', () => {
  const reference = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const names = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'Ab Z~\t\n\u00a0\u2003ﬁＣé\u0301ǅ'.split('')) }),
    fc.string({ unit: 'grapheme-ascii' }),
    anyText(),
  );
  fc.assert(
    fc.property(names, (name) => foldName(name) === reference(name)),
    { numRuns: 2000 },
  );
});
