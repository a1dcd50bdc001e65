import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { sql } from 'kysely';
import { growIssuedBadges } from '../bench/support/badge-volume.ts';
import { decodeList, getBit } from '../src/credentials/status-list.ts';
import { anIssuedBadge } from './support/builders.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';
import { testBackend } from './support/test-database.ts';

/** The HTTP benchmark's million badges are filler copied from real ones; the app must read them as its own. */
describe(`the benchmark's filler badges on ${testBackend}`, () => {
  let app: TestApp;
  let listId: string;
  const TOTAL = 200;

  before(async () => {
    app = await startTestApp();
    await anIssuedBadge(app);
    const { credentialId } = await anIssuedBadge(app);
    listId = (
      await app.database.db
        .selectFrom('credentials')
        .select('revocation_list_id')
        .where('id', '=', credentialId)
        .executeTakeFirstOrThrow()
    ).revocation_list_id;
    // Served (and so signed) before the growth, as a running university's list would be.
    await app.services.credentials.statusLists.signed(listId);
    await growIssuedBadges(app.database.db, TOTAL, () => undefined);
  });
  after(() => app?.close());

  test('grows the issued badges to the total asked for', async () => {
    const { n } = await app.database.db
      .selectFrom('credentials')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n), TOTAL);
  });

  test('each list counts the entries its credentials hold, all inside the list', async () => {
    const lists = await sql<{ allocated: number; held: string; outside: string }>`
      select l.allocated, count(c.id) as held, count(c.id) filter (where c.revocation_index >= l.size) as outside
      from status_lists l left join credentials c on c.revocation_list_id = l.id
      group by l.id`.execute(app.database.db);
    assert.ok(lists.rows.length > 0);
    for (const list of lists.rows) {
      assert.equal(Number(list.held), list.allocated);
      assert.equal(Number(list.outside), 0);
    }
  });

  test('each filler credential names its own id and status entry', async () => {
    const { rows } = await sql<{ wrong: string }>`
      select count(*) as wrong from credentials
      where json->>'id' <> 'urn:uuid:' || id
         or json->'credentialStatus'->>'statusListIndex' <> revocation_index::text
         or json->'credentialStatus'->>'statusListCredential' not like '%/' || revocation_list_id`.execute(
      app.database.db,
    );
    assert.equal(Number(rows[0]!.wrong), 0);
  });

  test('the list served after the growth has exactly the revoked badges set', async () => {
    const revoked = await app.database.db
      .selectFrom('credentials')
      .select('revocation_index')
      .where('revocation_list_id', '=', listId)
      .where('status', '=', 'revoked')
      .execute();
    assert.ok(revoked.length > 0, 'the filler revokes one badge in 97');
    // A served list is kept for a second before its version is read again; a quick growth ends within it, where a
    // server's next request would come later.
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 1_100 });
    const served = await app.services.credentials.statusLists
      .signed(listId)
      .finally(() => mock.timers.reset());
    const encoded = (served!.credential as { credentialSubject: { encodedList: string } }).credentialSubject
      .encodedList;
    const bits = decodeList(encoded);
    const set = new Set(revoked.map((row) => row.revocation_index));
    let count = 0;
    for (let index = 0; index < bits.length * 8; index++) {
      if (getBit(bits, index)) {
        count++;
        assert.ok(set.has(index), `entry ${index} is set but its badge is not revoked`);
      }
    }
    assert.equal(count, set.size);
  });

  test('the app issues a badge into a free entry after the growth', async () => {
    const { credentialId } = await anIssuedBadge(app);
    const row = await app.database.db
      .selectFrom('credentials as c')
      .innerJoin('status_lists as l', 'l.id', 'c.revocation_list_id')
      .select(['l.allocated', 'c.revocation_list_id'])
      .where('c.id', '=', credentialId)
      .executeTakeFirstOrThrow();
    const { n } = await app.database.db
      .selectFrom('credentials')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('revocation_list_id', '=', row.revocation_list_id)
      .executeTakeFirstOrThrow();
    assert.equal(row.allocated, Number(n));
  });
});
