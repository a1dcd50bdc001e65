// Differential test of the prebuilt text per program: every badge of a program after the first is written
// from it, and must still be exactly what the reference (jsonld.toRDF + rdf-canonize) produces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type BadgeInput, buildOpenBadgeCredential } from '../build-credential.ts';
import { createDocumentLoader } from '../document-loader.ts';
import { sampleBadgeInput } from '../test-fixtures.ts';
import { createCanonicalizer } from './canonicalizer.ts';
import { cohortCredentialsArb } from './test-arbitraries.ts';
// The canonicalizer under test has the app's own loader; the reference resolves the same contexts once.
import { referenceCanonize as reference } from './test-reference.ts';

const documentLoader = createDocumentLoader();
const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

/** Badges of the sample program for learners differing as `learners` say. */
function cohort(...learners: Array<Partial<BadgeInput>>) {
  return learners.map((learner, index) =>
    buildOpenBadgeCredential(
      sampleBadgeInput(ISSUER, {
        id: `urn:uuid:00000000-0000-4000-8000-00000000000${index}`,
        recipient: {
          did: `did:example:learner-${index}`,
          email: { address: `learner${index}@example.org`, salt: `salt-${index}` },
        },
        ...learner,
      }),
    ),
  );
}

describe('prebuilt canonical text per program', () => {
  test('matches the reference for every learner of 150 generated programs (property)', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    let badges = 0;
    await fc.assert(
      fc.asyncProperty(cohortCredentialsArb(ISSUER), async (credentials) => {
        for (const credential of credentials) {
          const expected = await reference(credential).catch(() => null);
          const actual = await canonicalizer.canonize(credential).catch(() => null);
          assert.equal(actual, expected);
          badges += 1;
        }
      }),
      { numRuns: 150 },
    );
    const { prebuilt, programs, reference: slow } = canonicalizer.stats;
    // Only meaningful if most learners after a program's first really were written from its prebuilt text,
    // and the collisions it must hand over really occurred.
    assert.ok(programs > 60, `only ${programs} programs got a prebuilt text`);
    assert.ok(prebuilt > badges / 3, `only ${prebuilt} of ${badges} badges were prebuilt`);
    assert.ok(slow['blank-node-tie'] > 0, 'no learner had tied blank nodes');
  });

  test('writes a second learner of a program from its prebuilt text', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const [first, second, third] = cohort(
      {},
      { validFrom: new Date('2027-01-02T03:04:05Z'), term: 'Fall "2026"\n' },
      {
        recipient: { did: 'did:example:zoe', email: { address: 'zoë@example.org', salt: '\u0000\\' } },
        creditsEarned: 7,
      },
    );
    for (const credential of [first!, second!, third!]) {
      assert.equal(await canonicalizer.canonize(credential), await reference(credential));
    }
    assert.equal(canonicalizer.stats.programs, 1);
    assert.equal(canonicalizer.stats.prebuilt, 2);
  });

  test("hands a learner whose id is one of the program's to the general fill", async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const program = sampleBadgeInput(ISSUER).program;
    const badges = cohort(
      {},
      {},
      // The learner's DID names the achievement, or the issuer: JSON-LD merges the two nodes.
      { recipient: { did: program.url } },
      { recipient: { did: ISSUER } },
      // Evidence whose id is the issuer's logo.
      { evidence: [{ id: 'https://northfield.example/logo.png', name: 'Capstone report' }] },
    );
    for (const credential of badges) {
      assert.equal(await canonicalizer.canonize(credential), await reference(credential));
    }
    assert.equal(canonicalizer.stats.prebuilt, 1);
  });

  test("hands a learner whose blank nodes tie to the reference's n-degree step", async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const twins = [{ name: 'Report' }, { name: 'Report' }];
    const badges = cohort(
      { evidence: [{ name: 'A' }, { name: 'B' }] },
      { evidence: [{ name: 'C' }, { name: 'D' }] },
      {
        evidence: twins,
      },
    );
    for (const credential of badges) {
      assert.equal(await canonicalizer.canonize(credential), await reference(credential));
    }
    assert.equal(canonicalizer.stats.prebuilt, 1);
    assert.equal(canonicalizer.stats.reference['blank-node-tie'], 1);
  });

  test('gives the same bytes with no program parts at all', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader, programParts: [] });
    const badges = cohort({}, { name: 'Another name', term: 'Summer' }, { description: 'Ω' });
    for (const credential of badges) {
      assert.equal(await canonicalizer.canonize(credential), await reference(credential));
    }
    assert.equal(canonicalizer.stats.prebuilt, 2);
  });
});
