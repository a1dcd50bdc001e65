// Attacker's review: another issuer's status list is fetched and decompressed whenever one of their badges is
// checked. GZIP shrinks a run of zeros about a thousandfold, so a list of a few kilobytes could expand to gigabytes in
// this process. A list that decompresses to more than any list needs is refused unread: the badge's status check
// fails and says why, and the process stays small.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as vc from '@digitalcredentials/vc';
import { buildOpenBadgeCredential } from '../../src/credentials/build-credential.ts';
import type { SigningKey } from '../../src/credentials/credential-types.ts';
import { createDocumentLoader } from '../../src/credentials/document-loader.ts';
import { prepareSigner } from '../../src/credentials/prepared-signer.ts';
import {
  buildStatusListCredential,
  createBitstring,
  encodeList,
  MAX_DECODED_LIST_BYTES,
} from '../../src/credentials/status-list.ts';
import { newDidKeySigningKey, sampleBadgeInput } from '../../src/credentials/test-fixtures.ts';
import { type HttpsIssuer, startAppWithIssuer } from '../support/https-issuer.ts';
import type { TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

async function signed(credential: object, key: SigningKey): Promise<Record<string, unknown>> {
  const { suite } = await prepareSigner(key);
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: createDocumentLoader() });
}

describe(`another issuer's status list that would decompress to gigabytes on ${testBackend}`, () => {
  let app: TestApp;
  let site: HttpsIssuer;
  let key: SigningKey;

  before(async () => {
    ({ app, site } = await startAppWithIssuer());
    key = await newDidKeySigningKey();
  });
  after(async () => {
    await app?.close();
    await site?.close();
  });

  /** A badge of that issuer whose revocation entry points at a list of theirs holding `encodedList`, signed. */
  async function badgeWithList(path: string, encodedList: string) {
    const listUrl = `${site.origin}${path}`;
    const list = buildStatusListCredential({
      id: listUrl,
      issuer: key.did,
      purpose: 'revocation',
      encodedList,
      validFrom: new Date('2026-01-01T00:00:00Z'),
    });
    site.serve(path, await signed(list, key));
    const badge = buildOpenBadgeCredential(
      sampleBadgeInput(key.did, { status: { revocation: { listUrl, index: 7 } } }),
    );
    return signed(badge, key);
  }

  const statusOf = async (badge: object) => {
    const response = await app.http.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: badge },
    });
    const answer = JSON.parse(response.body) as {
      details: { id: string; status: string; message: string }[];
    };
    return answer.details.find((check) => check.id === 'status');
  };

  test('a list of the spec’s size is read; one that expands past the limit fails the check unread', async () => {
    const fine = await statusOf(await badgeWithList('/status/fine', encodeList(createBitstring())));
    assert.equal(fine?.status, 'passed', fine?.message);

    // 64 MB of zeros, sent as about 64 KB: sixteen times the limit.
    const bomb = `u${gzipSync(Buffer.alloc(16 * MAX_DECODED_LIST_BYTES), { level: 9 }).toString('base64url')}`;
    assert.ok(bomb.length < 200_000, `the list is small on the wire (${bomb.length} characters)`);
    const before = process.memoryUsage().arrayBuffers;
    const refused = await statusOf(await badgeWithList('/status/bomb', bomb));
    assert.equal(refused?.status, 'failed');
    assert.match(refused?.message ?? '', /decompresses to more than 4 MB/);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 2 * MAX_DECODED_LIST_BYTES, `buffers grew by ${grown} bytes`);
  });
});
