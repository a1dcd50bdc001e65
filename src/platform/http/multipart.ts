import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

type MultipartOptions =
  | fastifyMultipart.FastifyMultipartOptions
  | fastifyMultipart.FastifyMultipartAttachFieldsToBodyOptions;

/**
 * Lets one encapsulated scope (and the scopes inside it) accept multipart/form-data, with its own limits: uploads
 * are accepted where a module asks for them and nowhere else. A scope whose parent already accepts them (a
 * test app, say) keeps the parent's parser, since Fastify refuses a second one for the same content type.
 */
export async function acceptMultipart(scope: FastifyInstance, options: MultipartOptions): Promise<void> {
  if (scope.hasContentTypeParser('multipart/form-data')) return;
  await scope.register(fastifyMultipart, options);
}
