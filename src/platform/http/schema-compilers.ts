import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { type SerializerFactory, SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * The schema compilers every Fastify app of this process uses, remembering what they compiled by what a schema
 * says rather than by which object it is.
 *
 * Why: the routes build their TypeBox schemas afresh each time an app is built, so Ajv's own cache (keyed by the
 * schema object) never hits for a second app, and the response serializers have no cache at all: every app compiled
 * every route's schemas again (about a quarter of a second of CPU per app), and Ajv kept every copy for as long as
 * the process lived. A process builds one app in production but dozens in a test shard. Two schemas with the same
 * JSON text validate and serialize the same way (TypeBox's symbol-keyed markers are invisible to both, as to JSON),
 * so the compiled function is shared, and memory stays at one per distinct schema.
 */
export function sharedSchemaCompilers(): {
  buildValidator: ValidatorFactory;
  buildSerializer: SerializerFactory;
} {
  const ajvPool = AjvCompiler();
  // One cache per compiler the pool hands out: a compiler stands for one set of Ajv options and shared schemas.
  const validatorCaches = new WeakMap<object, Map<string, ReturnType<ReturnType<ValidatorFactory>>>>();
  const buildValidator: ValidatorFactory = (externalSchemas, options) => {
    const compile = ajvPool(externalSchemas, options);
    let cache = validatorCaches.get(compile);
    if (!cache) {
      cache = new Map();
      validatorCaches.set(compile, cache);
    }
    const validators = cache;
    return (route) => remembered(validators, JSON.stringify(route.schema), () => compile(route));
  };

  const serializerFactory = SerializerSelector();
  // The serializer factory has no pool: its options and shared schemas are part of the key instead.
  const serializers = new Map<string, ReturnType<ReturnType<SerializerFactory>>>();
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    const compile = serializerFactory(externalSchemas, options);
    const setting = JSON.stringify([externalSchemas ?? null, options ?? null]);
    return (route) =>
      remembered(serializers, `${setting}${JSON.stringify(route.schema)}`, () => compile(route));
  };

  return { buildValidator, buildSerializer };
}

function remembered<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}
