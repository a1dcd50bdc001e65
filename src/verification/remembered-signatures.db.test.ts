import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { anInstitution, aProgram } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { IssuedCredential } from '../credentials/award-credentials.ts';
import { OwnProofs } from '../credentials/own-proofs.ts';

const system = { system: 'remembered signatures test' };

// A valid signature of one of our badges is remembered by the badge's exact text (OwnProofs); everything else a
// verdict rests on is read again every time.
describe(`remembered signatures on ${testBackend}`, () => {
  let app: TestApp;
  let slug: string;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app, { name: 'Lakeshore Polytechnic' });
    slug = (await aProgram(app, { title: 'Data Literacy', creditType: 'non_credit' })).slug;
  });
  after(() => app.close());

  const issue = (): Promise<IssuedCredential> =>
    app.services.credentials.issueCredential(system, {
      slug,
      learner: { email: 'sam.learner@example.org', name: 'Sam Okafor' },
    });

  const verify = async (credential: unknown) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: credential },
    });
    return response.json() as { verified: boolean; errors: { check: string; message: string }[] };
  };

  test('a badge verified again takes its remembered signature', async () => {
    const issued = await issue();
    assert.equal((await verify(issued.credential)).verified, true);
    const before = app.services.credentials.ownProofs.remembered.hits;
    assert.equal((await verify(issued.credential)).verified, true);
    assert.equal(app.services.credentials.ownProofs.remembered.hits, before + 1);
  });

  test('a revoked badge is reported revoked at once, though its signature was remembered', async () => {
    const issued = await issue();
    assert.equal((await verify(issued.credential)).verified, true);
    await app.services.credentials.changeStatus(system, issued.id, 'revoke', 'Issued in error');
    const hits = app.services.credentials.ownProofs.remembered.hits;
    const answer = await verify(issued.credential);
    assert.equal(app.services.credentials.ownProofs.remembered.hits, hits + 1);
    assert.equal(answer.verified, false);
    assert.match(answer.errors.map((error) => error.message).join(' '), /revoked this badge/);
  });

  test('a remembered badge with one changed value is checked in full and fails its signature', async () => {
    const issued = await issue();
    assert.equal((await verify(issued.credential)).verified, true);
    const changed = structuredClone(issued.credential) as { name: string };
    changed.name = `${changed.name} (with honours)`;
    const answer = await verify(changed);
    assert.equal(answer.verified, false);
    assert.ok(answer.errors.some((error) => error.check === 'proof'));
  });

  test('the same badge with its members in another order is checked in full, and still holds', async () => {
    const issued = await issue();
    assert.equal((await verify(issued.credential)).verified, true);
    const { proof, ...rest } = issued.credential as unknown as Record<string, unknown>;
    const reordered = { proof, ...rest };
    const misses = app.services.credentials.ownProofs.remembered.misses;
    assert.equal((await verify(reordered)).verified, true);
    assert.equal(app.services.credentials.ownProofs.remembered.misses, misses + 1);
  });

  test('keys read again a minute later, and found the same, keep the remembered signatures', async () => {
    const issued = await issue();
    assert.equal((await verify(issued.credential)).verified, true);
    const keys = await app.services.credentials.identity.trustedKeys();
    // The key rows are read again once their minute is up (by the wall clock, not the app's).
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
    try {
      const again = await app.services.credentials.identity.trustedKeys();
      assert.equal(again, keys, 'the same keys come back as the same list');
      const hits = app.services.credentials.ownProofs.remembered.hits;
      assert.equal((await verify(issued.credential)).verified, true);
      assert.equal(app.services.credentials.ownProofs.remembered.hits, hits + 1);
    } finally {
      mock.timers.reset();
    }
  });

  test('a full memory forgets the signature it remembered first, and a memory of none remembers nothing', async () => {
    const [a, b, c] = [await issue(), await issue(), await issue()];
    const two = new OwnProofs(app.services.credentials.identity, { rememberValid: 2 });
    const check = async (issued: IssuedCredential) => {
      const { hits } = two.remembered;
      assert.equal((await two.verify(issued.credential)).status, 'valid');
      return two.remembered.hits > hits ? 'remembered' : 'checked';
    };
    assert.deepEqual([await check(a), await check(b), await check(a)], ['checked', 'checked', 'remembered']);
    // A hit does not make a signature younger: c pushes out a, the first remembered, and keeps b.
    assert.deepEqual([await check(c), await check(b), await check(a)], ['checked', 'remembered', 'checked']);
    assert.equal(two.remembered.size, 2);

    const none = new OwnProofs(app.services.credentials.identity, { rememberValid: 0 });
    for (const issued of [a, a, b]) assert.equal((await none.verify(issued.credential)).status, 'valid');
    assert.deepEqual(none.remembered, { hits: 0, misses: 0, size: 0 });
  });

  test('a new key empties the remembered signatures, and older badges still verify in full', async () => {
    const issued = await issue();
    assert.equal((await verify(issued.credential)).verified, true);
    const keys = await app.services.credentials.identity.trustedKeys();
    await app.services.credentials.rotateKey(system);
    const rotated = await app.services.credentials.identity.trustedKeys();
    assert.notEqual(rotated, keys);
    assert.equal(rotated.length, keys.length + 2, 'the new key under did:web and under its own did:key');
    const { hits, misses } = app.services.credentials.ownProofs.remembered;
    assert.equal((await verify(issued.credential)).verified, true);
    assert.deepEqual(app.services.credentials.ownProofs.remembered, {
      ...app.services.credentials.ownProofs.remembered,
      hits,
      misses: misses + 1,
    });
  });
});
