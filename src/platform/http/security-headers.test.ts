import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import helmet from 'helmet';
import {
  applyHeaderSteps,
  ourSecurityHeaders,
  registerSecurityHeaders,
  securityHeaderSteps,
} from './security-headers.ts';

const aResponse = () => {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  response.setHeader('X-Powered-By', 'something');
  return response;
};

describe('security headers recorded once', () => {
  for (const [name, options] of [
    ['the server over https', ourSecurityHeaders(true)],
    ['the server over http', ourSecurityHeaders(false)],
    ["helmet's defaults", {}],
    ['everything switched off that can be', { contentSecurityPolicy: false, hsts: false, xPoweredBy: false }],
  ] as const) {
    test(`replaying them sets exactly what helmet sets: ${name}`, () => {
      const byHelmet = aResponse();
      let finished = false;
      helmet(options)(new IncomingMessage(new Socket()), byHelmet, () => {
        finished = true;
      });
      assert.equal(finished, true);
      const replayed = aResponse();
      applyHeaderSteps(replayed, securityHeaderSteps(options));
      assert.deepEqual(replayed.getHeaders(), byHelmet.getHeaders());
      assert.ok(Object.keys(byHelmet.getHeaders()).length > 0);
    });
  }

  test('a directive computed per request is still computed per request', async () => {
    let nonces = 0;
    const app = Fastify();
    registerSecurityHeaders(app, {
      contentSecurityPolicy: {
        directives: {
          scriptSrc: [
            "'self'",
            () => {
              nonces += 1;
              return `'nonce-${nonces}'`;
            },
          ],
        },
      },
    });
    app.get('/', async () => 'ok');
    const first = await app.inject('/');
    const second = await app.inject('/');
    assert.match(String(first.headers['content-security-policy']), /'nonce-1'/);
    assert.match(String(second.headers['content-security-policy']), /'nonce-2'/);
    await app.close();
  });

  test('every response gets the recorded headers, and a route can still override one', async () => {
    const app = Fastify();
    registerSecurityHeaders(app, ourSecurityHeaders(true));
    app.get('/', async () => 'ok');
    app.get('/sandboxed', async (_request, reply) =>
      reply.header('content-security-policy', "sandbox; default-src 'none'").send('ok'),
    );
    const plain = await app.inject('/');
    assert.match(String(plain.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(plain.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.equal(plain.headers['referrer-policy'], 'same-origin');
    const sandboxed = await app.inject('/sandboxed');
    assert.equal(sandboxed.headers['content-security-policy'], "sandbox; default-src 'none'");
    await app.close();
  });
});
