import type { FastifyReply } from 'fastify';
import { type FunctionComponent, h } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a page component with its props to HTML (auto-escaped by Preact) and sends it. */
export function sendPage<P extends object>(
  reply: FastifyReply,
  page: FunctionComponent<P>,
  props: P,
  status = 200,
): FastifyReply {
  const html = renderToString(h(page as FunctionComponent<object>, props));
  return reply.status(status).type('text/html; charset=utf-8').send(`<!doctype html>${html}`);
}
