import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnySchema } from 'ajv';
import { Type } from 'typebox';
import { sharedSchemaCompilers } from './schema-compilers.ts';

// Each app builds its route schemas afresh; these stand for two apps' copies of one route's schemas.
const bodyOf = (maxLength: number) =>
  Type.Object({ name: Type.String({ minLength: 1, maxLength }) }, { additionalProperties: false });
const ajvSettings = {
  customOptions: { allErrors: true, coerceTypes: 'array' as const, removeAdditional: false },
};
const route = (schema: AnySchema) => ({
  schema,
  method: 'POST',
  url: '/x',
  httpPart: 'body',
  httpStatus: '200',
});

describe('schema compilers shared by the apps of one process', () => {
  test('a second app with the same schemas gets the validator already compiled, and it still validates', () => {
    const { buildValidator } = sharedSchemaCompilers();
    const first = buildValidator({}, ajvSettings)(route(bodyOf(40)));
    const second = buildValidator({}, ajvSettings)(route(bodyOf(40)));
    assert.equal(second, first);
    assert.equal(second({ name: 'Data literacy' }), true);
    assert.equal(second({ name: '' }), false);
    assert.equal(second({ name: 'x', extra: 1 }), false);
  });

  test('a schema that says something else gets a validator of its own', () => {
    const { buildValidator } = sharedSchemaCompilers();
    const short = buildValidator({}, ajvSettings)(route(bodyOf(3)));
    const long = buildValidator({}, ajvSettings)(route(bodyOf(40)));
    assert.notEqual(short, long);
    assert.equal(short({ name: 'Data literacy' }), false);
    assert.equal(long({ name: 'Data literacy' }), true);
  });

  test('response serializers are shared the same way, and write only what their schema names', () => {
    const { buildSerializer } = sharedSchemaCompilers();
    const response = () => Type.Object({ id: Type.String() });
    const first = buildSerializer({}, {})(route(response()));
    const second = buildSerializer({}, {})(route(response()));
    assert.equal(second, first);
    assert.equal(second({ id: 'p-1', secret: 'not listed' }), '{"id":"p-1"}');
    const other = buildSerializer({}, {})(route(Type.Object({ code: Type.String() })));
    assert.notEqual(other, first);
  });
});

describe('schema compilers shared by the apps of one process: what must not be shared', () => {
  const named = (maxLength: number) => ({
    $id: 'course-name',
    type: 'object',
    properties: { name: { type: 'string', maxLength } },
  });

  // One Ajv serves every app of the process: were it to keep a compiled schema by its $id (Fastify's Ajv options say
  // not to), or the cache to key by $id, a second app would validate with the first one's rules.
  test('two apps whose schemas share an $id but say different things get validators of their own', () => {
    const { buildValidator } = sharedSchemaCompilers();
    const short = buildValidator({}, ajvSettings)(route(named(3)));
    const long = buildValidator({}, ajvSettings)(route(named(40)));
    assert.equal(short({ name: 'Data literacy' }), false);
    assert.equal(long({ name: 'Data literacy' }), true);
  });

  test('the same route schema refers to different shared schemas in two apps: validators and serializers differ', () => {
    const { buildValidator, buildSerializer } = sharedSchemaCompilers();
    const shared = (maxLength: number) => ({
      name: { $id: 'name', type: 'string', maxLength },
    });
    const body = { type: 'object', properties: { name: { $ref: 'name#' } } };
    const short = buildValidator(shared(3), ajvSettings)(route(body));
    const long = buildValidator(shared(40), ajvSettings)(route(body));
    assert.equal(short({ name: 'Data literacy' }), false);
    assert.equal(long({ name: 'Data literacy' }), true);

    const sharedReply = (property: string) => ({
      reply: { $id: 'reply', type: 'object', properties: { [property]: { type: 'string' } } },
    });
    const response = { $ref: 'reply#' };
    const withId = buildSerializer(sharedReply('id'), {})(route(response));
    const withCode = buildSerializer(sharedReply('code'), {})(route(response));
    assert.equal(withId({ id: 'p-1', code: 'X' }), '{"id":"p-1"}');
    assert.equal(withCode({ id: 'p-1', code: 'X' }), '{"code":"X"}');
  });
});
