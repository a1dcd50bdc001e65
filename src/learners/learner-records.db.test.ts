import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anAccessToken } from '../../test/support/api-token.ts';
import { aLearner, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

let sequence = 0;
/** A record as the student system sends it, with a student ID and e-mail no other test uses. */
const aSentRecord = (fields: Record<string, unknown> = {}) => {
  sequence += 1;
  return {
    studentId: `S${String(sequence).padStart(7, '0')}`,
    givenName: 'Marguerite',
    familyName: `Oyelaran ${sequence}`,
    email: `m.oyelaran.${sequence}@students.api.example`,
    status: 'current',
    ...fields,
  };
};

describe(`the learners JSON API on ${testBackend}`, () => {
  let app: TestApp;
  let reader: string;
  let writer: string;

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, token?: string, payload?: unknown) =>
    app.http.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const put = (record: ReturnType<typeof aSentRecord>, token = writer) => {
    const { studentId, ...body } = record;
    return call('PUT', `/api/learners/${studentId}`, token, body);
  };
  const auditOf = async (studentId: string) => {
    const record = await call('GET', `/api/learners/${studentId}`, reader);
    const id = (
      await app.database.db
        .selectFrom('learners')
        .select('id')
        .where('student_id', '=', record.json().studentId)
        .executeTakeFirstOrThrow()
    ).id;
    const entries = await app.services.audit.list({
      entityType: 'learner',
      entityId: id,
      limit: 20,
      offset: 0,
    });
    return entries.reverse();
  };

  before(async () => {
    app = await startTestApp({ runJobs: false });
    reader = (await anAccessToken(app, ['learners:read'])).token;
    writer = (await anAccessToken(app, ['learners:write'])).token;
  });
  after(() => app.close());

  test('PUT creates a record (201), the same PUT again changes nothing, and a change is an audited update', async () => {
    const record = aSentRecord();
    const created = await put(record);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().outcome, 'created');
    assert.deepEqual(
      { ...created.json().learner, createdAt: undefined },
      {
        studentId: record.studentId,
        givenName: 'Marguerite',
        familyName: record.familyName,
        name: `Marguerite ${record.familyName}`,
        email: record.email,
        status: 'current',
        identityConfirmed: true,
        hasAccount: false,
        createdAt: undefined,
      },
    );

    const again = await put(record);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().outcome, 'unchanged');

    const moved = await put({ ...record, email: record.email.replace('@', '.new@'), status: 'returning' });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().outcome, 'updated');
    const read = await call('GET', `/api/learners/${record.studentId.toLowerCase()}`, reader);
    assert.equal(read.statusCode, 200, 'a student ID is found whatever its letter case');
    assert.equal(read.json().status, 'returning');

    const entries = await auditOf(record.studentId);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['learner.created', 'learner.updated'],
    );
    const update = entries[1]!;
    assert.deepEqual(update.before, { email: record.email, status: 'current' });
    assert.match(String(update.actor_label), /API client/);
  });

  test('GET /api/learners finds records by student ID, e-mail, name or words, a page at a time', async () => {
    const family = `Lindqvist${sequence}`;
    const records = [1, 2, 3].map(() => aSentRecord({ familyName: family }));
    const written = await call('POST', '/api/learners', writer, records);
    assert.equal(written.statusCode, 200, written.body);

    const byName = await call('GET', `/api/learners?name=${family.toLowerCase()}&pageSize=2`, reader);
    assert.equal(byName.statusCode, 200, byName.body);
    assert.equal(byName.json().total, 3);
    assert.equal(byName.json().pageCount, 2);
    assert.deepEqual(
      byName.json().learners.map((l: { studentId: string }) => l.studentId),
      records.slice(0, 2).map((r) => r.studentId),
    );
    const second = await call('GET', `/api/learners?name=${family}&pageSize=2&page=2`, reader);
    assert.deepEqual(
      second.json().learners.map((l: { studentId: string }) => l.studentId),
      [records[2]!.studentId],
    );

    const byEmail = await call('GET', `/api/learners?email=${records[1]!.email.toUpperCase()}`, reader);
    assert.deepEqual(
      byEmail.json().learners.map((l: { studentId: string }) => l.studentId),
      [records[1]!.studentId],
    );
    const byId = await call('GET', `/api/learners?studentId=${records[2]!.studentId}`, reader);
    assert.equal(byId.json().total, 1);
    const byWords = await call(
      'GET',
      `/api/learners?q=${encodeURIComponent(`marguerite ${family}`)}`,
      reader,
    );
    assert.equal(byWords.json().total, 3);
    assert.equal((await call('GET', '/api/learners/NOBODY-HERE', reader)).statusCode, 404);
  });

  test('a bulk upsert is all or nothing: every bad item is a 422 naming its index, field and reason', async () => {
    const kept = aSentRecord();
    assert.equal((await put(kept)).statusCode, 201);
    const fine = aSentRecord();
    const batch = [
      fine,
      aSentRecord({ status: 'alumnus', givenName: '' }),
      { ...aSentRecord(), studentId: fine.studentId.toLowerCase() },
      aSentRecord({ email: kept.email }),
    ];
    const refused = await call('POST', '/api/learners', writer, batch);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(refused.json().code, 'UNPROCESSABLE');
    assert.deepEqual(
      refused.json().errors.map((e: { index: number; field: string }) => [e.index, e.field]),
      [
        [1, '[1].givenName'],
        [1, '[1].status'],
        [2, '[2].studentId'],
        [3, '[3].email'],
      ],
    );
    assert.match(refused.json().errors[3].reason, /already on another learner record/);
    assert.equal(
      (await call('GET', `/api/learners/${fine.studentId}`, reader)).statusCode,
      404,
      'nothing of a refused batch is written',
    );

    const good = [fine, aSentRecord()];
    const first = await call('POST', '/api/learners', writer, good);
    assert.deepEqual(first.json().counts, { created: 2, updated: 0, unchanged: 0 });
    const second = await call('POST', '/api/learners', writer, [...good, { ...kept, status: 'returning' }]);
    assert.deepEqual(second.json().counts, { created: 0, updated: 1, unchanged: 2 });
    assert.deepEqual(second.json().items[2], { index: 2, studentId: kept.studentId, outcome: 'updated' });
  });

  test('a PUT with refused values is a 422 naming each field, and writes nothing', async () => {
    const record = aSentRecord({ email: 'not an address' });
    const refused = await put(record);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.deepEqual(refused.json().errors, [{ field: 'email', reason: 'must be an e-mail address' }]);
    assert.equal((await call('GET', `/api/learners/${record.studentId}`, reader)).statusCode, 404);
  });

  test('a records office session reads and writes too, a write only with the CSRF token', async () => {
    const registrar = await aStaffMember(app, 'registrar');
    const browser = await registrar.signIn();
    const headers = await browser.apiHeaders();
    const record = aSentRecord();
    const { studentId, ...body } = record;
    const withoutToken = await app.http.inject({
      method: 'PUT',
      url: `/api/learners/${studentId}`,
      payload: body,
      headers: { cookie: headers.cookie! },
    });
    assert.equal(withoutToken.statusCode, 403);
    assert.equal(withoutToken.json().code, 'CSRF_FAILED');
    const written = await app.http.inject({
      method: 'PUT',
      url: `/api/learners/${studentId}`,
      payload: body,
      headers,
    });
    assert.equal(written.statusCode, 201, written.body);
    const entries = await auditOf(studentId);
    assert.equal(entries[0]?.actor_id, registrar.id);
    const read = await browser.get(`/api/learners?studentId=${studentId}`);
    assert.equal(read.json().total, 1);
  });

  test('no credentials is 401, a token without the scope 403, and a revoked client’s token 401', async () => {
    const anonymous = await call('GET', '/api/learners');
    assert.equal(anonymous.statusCode, 401);
    assert.match(String(anonymous.headers['www-authenticate']), /scope="learners:read"/);

    const readOnly = await put(aSentRecord(), reader);
    assert.equal(readOnly.statusCode, 403);
    assert.match(String(readOnly.headers['www-authenticate']), /insufficient_scope.*learners:write/);

    const { client, token } = await anAccessToken(app, ['learners:read', 'learners:write']);
    assert.equal((await call('GET', '/api/learners', token)).statusCode, 200);
    await app.services.apiClients.revokeClient(await aStaffMember(app, 'admin'), client.id);
    const revoked = await call('GET', '/api/learners', token);
    assert.equal(revoked.statusCode, 401);
    assert.match(String(revoked.headers['www-authenticate']), /invalid_token/);
  });

  test('a record the student system sends never takes over an unconfirmed record with another e-mail', async () => {
    const typedIn = await aLearner(app, {
      studentId: `U${sequence}X0`,
      status: 'non_degree_seeking',
      identityConfirmed: false,
    });
    const other = aSentRecord({ studentId: typedIn.studentId });
    const refused = await put(other);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().errors[0].field, 'studentId');

    const same = await put(aSentRecord({ studentId: typedIn.studentId, email: typedIn.email }));
    assert.equal(same.statusCode, 200, same.body);
    assert.equal(same.json().learner.identityConfirmed, true, 'the student system named its holder');
    assert.equal(same.json().learner.hasAccount, true, 'the account keeps its record');
  });

  test('the OpenAPI document describes the four operations with a session or an OAuth scope', async () => {
    const spec = (await app.http.inject({ url: '/docs/json' })).json();
    const operations = [
      ['/api/learners', 'get', 'learners:read'],
      ['/api/learners', 'post', 'learners:write'],
      ['/api/learners/{studentId}', 'get', 'learners:read'],
      ['/api/learners/{studentId}', 'put', 'learners:write'],
    ] as const;
    for (const [path, method, scope] of operations) {
      const operation = spec.paths[path]?.[method];
      assert.ok(operation, `${method} ${path}`);
      assert.deepEqual(operation.security, [{ session: [] }, { oauth2: [scope] }], `${method} ${path}`);
    }
  });
});
