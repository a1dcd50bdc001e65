// Differential test: the template canonicalizer must produce exactly the N-Quads the reference
// (the eddsa-rdfc-2022 cryptosuite: jsonld.toRDF + rdf-canonize) produces, byte for byte.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildOpenBadgeCredential } from '../build-credential.ts';
import { createDocumentLoader } from '../document-loader.ts';
import { sampleBadgeInput } from '../test-fixtures.ts';
import { createCanonicalizer } from './canonicalizer.ts';
import { programCredentialArb, unsignedCredentialArb } from './test-arbitraries.ts';
// The canonicalizer under test has the app's own loader; the reference resolves the same contexts once.
import { referenceCanonize as reference } from './test-reference.ts';

const documentLoader = createDocumentLoader();
const ISSUER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

/** Both canonical forms, or the fact that both refused the document. */
async function bothWays(canonicalizer: ReturnType<typeof createCanonicalizer>, document: object) {
  const expected = await reference(document).catch((error: Error) => ({ refused: error.message }));
  const actual = await canonicalizer.canonize(document).catch((error: Error) => ({ refused: error.message }));
  return { expected, actual };
}

describe('template canonicalizer', () => {
  test('matches the reference on 300 credentials of every optional shape, with twists (property)', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(unsignedCredentialArb(ISSUER), async (credential) => {
        const { expected, actual } = await bothWays(canonicalizer, credential);
        if (typeof expected !== 'string') {
          refused += 1;
          assert.equal(
            typeof actual,
            'object',
            'the reference refused the document but the fast path did not',
          );
          return;
        }
        assert.equal(actual, expected);
      }),
      { numRuns: 300 },
    );
    const { fast, reference: slow, merged } = canonicalizer.stats;
    // The comparison only means something if most documents really took the template path, and if the
    // cases it must merge (nodes sharing an id) or hand over (tied blank nodes) really occurred.
    assert.ok(fast > 200, `only ${fast} documents took the fast path`);
    assert.ok(merged > 0, 'no document had nodes sharing an id');
    assert.ok(slow['blank-node-tie'] > 0, 'no document had tied blank nodes');
    assert.ok(refused < 30, `the reference refused ${refused} generated documents`);
  });

  // One program's badges come in eight shapes (up to three alignments, whole or half credits), all of them met
  // within the first few dozen badges; every badge after that fills one with new values. 200 badges still give
  // each of the generator's awkward characters dozens of places to be written wrong, at a third of 600's CPU.
  const programRuns = 200;
  test(`matches the reference on ${programRuns} credentials of one program, filling shared templates (property)`, async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    await fc.assert(
      fc.asyncProperty(programCredentialArb(ISSUER), async (credential) => {
        assert.equal(await canonicalizer.canonize(credential), await reference(credential));
      }),
      { numRuns: programRuns },
    );
    const { fast, templates, merged } = canonicalizer.stats;
    assert.ok(fast > programRuns * 0.95, `only ${fast} documents took the fast path`);
    assert.equal(merged, fast, 'every badge shares its image with its achievement, as the app builds them');
    assert.ok(templates < programRuns / 10, `${templates} templates for one program's badges`);
  });

  test('reuses one template for badges that differ only in their values', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    for (const name of ['Data Analysis', 'Ωmega "quoted" \\ name', 'Line\nbreak']) {
      const credential = buildOpenBadgeCredential({ ...sampleBadgeInput(ISSUER), name });
      assert.equal(await canonicalizer.canonize(credential), await reference(credential));
    }
    assert.equal(canonicalizer.stats.templates, 1);
    assert.equal(canonicalizer.stats.fast, 3);
  });

  test('pins a value the processor would expand, and still matches', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const proofOptions = {
      '@context': buildOpenBadgeCredential(sampleBadgeInput(ISSUER))['@context'],
      type: 'DataIntegrityProof',
      created: '2026-05-01T09:00:00Z',
      verificationMethod: `${ISSUER}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`,
      cryptosuite: 'eddsa-rdfc-2022',
      // A term of the context, expanded to https://w3id.org/security#assertionMethod.
      proofPurpose: 'assertionMethod',
    };
    const nquads = await canonicalizer.canonize(proofOptions);
    assert.equal(nquads, await reference(proofOptions));
    assert.match(nquads, /<https:\/\/w3id\.org\/security#assertionMethod>/);
    assert.equal(canonicalizer.stats.fast, 1);
  });

  test('honours a prefix defined by a context embedded inside the document', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = buildOpenBadgeCredential(sampleBadgeInput(ISSUER));
    const embedded = {
      ...credential,
      evidence: [
        { '@context': { did: 'https://did.example/' }, id: 'did:web:portfolio', type: ['Evidence'] },
      ],
    };
    const nquads = await canonicalizer.canonize(embedded);
    assert.equal(nquads, await reference(embedded));
    assert.match(nquads, /<https:\/\/did\.example\/web:portfolio>/);
  });

  test('merges the statements of nodes sharing an id only as JSON-LD does', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const image = { url: 'https://northfield.example/badge.png', caption: 'Badge' };
    const base = sampleBadgeInput(ISSUER);
    const shared = buildOpenBadgeCredential({ ...base, image, program: { ...base.program, image } });
    assert.equal(await canonicalizer.canonize(shared), await reference(shared));
    assert.equal(canonicalizer.stats.merged, 1);
    // Different captions: the merged node keeps both (only its repeated type statement is one).
    const differing = buildOpenBadgeCredential({
      ...base,
      image,
      program: { ...base.program, image: { ...image, caption: 'Another caption' } },
    });
    const nquads = await canonicalizer.canonize(differing);
    assert.equal(nquads, await reference(differing));
    assert.match(nquads, /"Badge"/);
    assert.match(nquads, /"Another caption"/);
    assert.equal(canonicalizer.stats.fast, 2);

    // Values that differ only in their @index are not merged by JSON-LD: both statements stay.
    const context = {
      tags: { '@id': 'https://northfield.example/vocab#tag', '@container': '@index' },
    };
    const indexed = {
      '@context': context,
      '@id': 'https://northfield.example/thing',
      tags: { first: 'same', second: 'same' },
    };
    assert.equal(await canonicalizer.canonize(indexed), await reference(indexed));
    assert.equal(canonicalizer.stats.reference['repeated-quad'], 1);
  });

  test('leaves JSON literals, whose number text follows other rules, to the reference', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const context = { data: { '@id': 'https://northfield.example/vocab#data', '@type': '@json' } };
    for (const data of [7, 1e-7, 1e21]) {
      const document = { '@context': context, '@id': 'https://northfield.example/x', data };
      assert.equal(await canonicalizer.canonize(document), await reference(document));
    }
    assert.equal(canonicalizer.stats.fast, 0);
  });

  test('hands documents it cannot template to the reference and gives its answer', async () => {
    const canonicalizer = createCanonicalizer({ documentLoader });
    const credential = buildOpenBadgeCredential(sampleBadgeInput(ISSUER));
    const withUndefined = { ...credential, name: undefined } as unknown as object;
    assert.equal(await canonicalizer.canonize(withUndefined), await reference(withUndefined));
    assert.equal(canonicalizer.stats.reference['unsupported-value'], 1);

    const relative = { ...credential, id: 'not-an-absolute-iri' };
    await assert.rejects(reference(relative));
    await assert.rejects(canonicalizer.canonize(relative));
    assert.equal(canonicalizer.stats.fast, 0);
  });
});
