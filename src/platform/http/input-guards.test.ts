import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { AppError } from '../errors.ts';
import { refuseNulCharacters } from './input-guards.ts';

/** A server with only the guard, answering the fields it names. */
async function aServer() {
  const app = Fastify();
  refuseNulCharacters(app);
  app.setErrorHandler((error, _request, reply) =>
    reply.status(400).send(error instanceof AppError ? { fields: error.fields } : { other: String(error) }),
  );
  app.post('/:name', async () => 'ok');
  await app.ready();
  return app;
}

describe('refuseNulCharacters', () => {
  test('names every field holding a NUL, however deep, in arrays and in field names', async () => {
    const app = await aServer();
    const response = await app.inject({
      method: 'POST',
      url: '/a?q=plain&r=x%00y',
      payload: {
        verifiableCredential: {
          name: 'fine',
          credentialSubject: { achievement: { tags: ['ok', 'b\u0000d'] } },
          'bad\u0000key': 'fine',
        },
        list: [{ text: '\u0000' }],
      },
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json().fields.map((problem: { field: string }) => problem.field),
      [
        'query.r',
        'body.verifiableCredential.credentialSubject.achievement.tags.1',
        'body.verifiableCredential',
        'body.list.0.text',
      ],
    );
    await app.close();
  });

  test('lets a request without a NUL through', async () => {
    const app = await aServer();
    const response = await app.inject({
      method: 'POST',
      url: '/a?q=plain',
      payload: { deep: { list: [1, 'two', { three: null }] } },
    });
    assert.equal(response.statusCode, 200);
    await app.close();
  });
});
