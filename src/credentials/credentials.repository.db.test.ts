// The status-list positions the credentials module reads back when it hands out new ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anIssuedBadge } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { CredentialsRepository } from './credentials.repository.ts';

describe(`credentials' status-list positions on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('of the candidates asked about, exactly those a credential holds are taken, on each list and purpose', async () => {
    const held = [];
    for (let n = 0; n < 2; n++) {
      const { credentialId } = await anIssuedBadge(app);
      held.push(
        await app.database.db
          .selectFrom('credentials')
          .select(['revocation_list_id', 'revocation_index'])
          .where('id', '=', credentialId)
          .executeTakeFirstOrThrow(),
      );
    }
    const repository = new CredentialsRepository();
    const db = app.database.db;
    // A new credential's status is one entry, on a revocation list (badges issued earlier may also hold a suspension one).
    const list = held[0]!.revocation_list_id;
    const onList = held.filter((row) => row.revocation_list_id === list).map((row) => row.revocation_index);
    const all = await repository.takenIndexes(db, list, 'revocation');
    for (const index of onList) assert.ok(all.has(index), `${index} is among every taken entry`);

    const free = [...Array(64).keys()].map((n) => n * 997 + 3).filter((index) => !all.has(index));
    const candidates = [free[0]!, ...onList, free[1]!, free[2]!];
    assert.deepEqual(
      [...(await repository.takenIndexes(db, list, 'revocation', candidates))].sort((a, b) => a - b),
      [...new Set(onList)].sort((a, b) => a - b),
    );
    assert.equal((await repository.takenIndexes(db, list, 'revocation', [])).size, 0);
    // No credential holds an entry of a suspension list, whichever positions are asked about.
    assert.equal((await repository.takenIndexes(db, list, 'suspension', candidates)).size, 0);
  });
});
