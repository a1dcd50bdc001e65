import type { FastifyReply } from 'fastify';
import { type FunctionComponent, h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { neutralDisplay, showingAs } from '../display.ts';
import type { PageContext } from './page-context.ts';

/**
 * Renders a page component with its props to HTML (auto-escaped by Preact) and sends it. A page given the layout's
 * `ctx` shows its moments and amounts in the institution's time zone and currency.
 */
export function sendPage<P extends object>(
  reply: FastifyReply,
  page: FunctionComponent<P>,
  props: P,
  status = 200,
): FastifyReply {
  const ctx = (props as { ctx?: PageContext }).ctx;
  const display = ctx ? { timeZone: ctx.timeZone, currency: ctx.currency } : neutralDisplay;
  const html = showingAs(display, () => renderToString(h(page as FunctionComponent<object>, props)));
  return reply.status(status).type('text/html; charset=utf-8').send(`<!doctype html>${html}`);
}
