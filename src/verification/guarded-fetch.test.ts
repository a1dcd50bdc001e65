import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTestAuthority, startHttpsServer } from '../../test/support/tls-authority.ts';
import { fetchLimitedText, JSON_DOCUMENT_TYPES } from './fetch-text.ts';
import { createGuardedFetcher } from './guarded-fetch.ts';
import { ResponseCache } from './response-cache.ts';

describe('the guarded fetch against a local HTTPS server with its own CA', () => {
  const authority = makeTestAuthority();
  let site: Awaited<ReturnType<typeof startHttpsServer>>;
  let origin: string;
  let hits = 0;

  before(async () => {
    site = await startHttpsServer(authority, (request, response) => {
      if (request.url === '/doc.json') {
        hits += 1;
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
        return response.end(JSON.stringify({ hit: hits }));
      }
      if (request.url === '/fresh.json') {
        hits += 1;
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return response.end(JSON.stringify({ hit: hits }));
      }
      if (request.url === '/page.html') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end('<p>not a document</p>');
      }
      if (request.url === '/big.json') {
        // No content-length: the limit must hold while reading, not only on the header.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('"');
        response.write('x'.repeat(4096));
        return response.end('"');
      }
      if (request.url === '/slow.json') return; // never answers
      if (request.url === '/token' && request.method === 'POST') {
        // Echoes the form it was sent, as an identity provider's token endpoint reads it.
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ got: Buffer.concat(chunks).toString('utf8') }));
        });
        return;
      }
      if (request.url === '/token-moved') {
        response.writeHead(307, { location: `https://localhost:${site.port}/token` });
        return response.end();
      }
      if (request.url === '/to-loopback') {
        response.writeHead(302, { location: `https://127.0.0.1:${site.port}/doc.json` });
        return response.end();
      }
      if (request.url === '/to-local-name') {
        response.writeHead(307, { location: `https://localhost:${site.port}/doc.json` });
        return response.end();
      }
      response.writeHead(404).end();
    });
    origin = `https://localhost:${site.port}`;
  });
  after(() => site.close());

  /** Trusts only the test CA, and lets `localhost:<port>` (and nothing else private) through. */
  const allowedFetcher = (extra: Parameters<typeof createGuardedFetcher>[0] = {}) =>
    createGuardedFetcher({ ca: authority.ca, allowedHosts: [`localhost:${site.port}`], ...extra });

  test('sends a POST with its form body (an identity provider’s token request)', async () => {
    const response = await allowedFetcher()(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'abc' }),
    });
    assert.deepEqual(await response.json(), { got: 'grant_type=authorization_code&code=abc' });
  });

  test('hands a redirected POST back instead of sending its credentials on', async () => {
    const response = await allowedFetcher()(`${origin}/token-moved`, {
      method: 'POST',
      body: 'code=abc',
    });
    assert.equal(response.status, 307);
  });

  test('fetches a document from an allow-listed host over TLS signed by the test CA', async () => {
    const fetched = await fetchLimitedText(allowedFetcher(), `${origin}/doc.json`, {
      accept: JSON_DOCUMENT_TYPES,
    });
    assert.equal(fetched.ok, true, JSON.stringify(fetched));
  });

  test('refuses a certificate from a CA it was not told to trust', async () => {
    const fetched = await fetchLimitedText(
      createGuardedFetcher({ allowedHosts: [`localhost:${site.port}`] }),
      `${origin}/doc.json`,
    );
    assert.equal(fetched.ok, false);
  });

  test('refuses a host that resolves to a loopback address unless it is allow-listed', async () => {
    const before = site.requests.length;
    const fetched = await fetchLimitedText(createGuardedFetcher({ ca: authority.ca }), `${origin}/doc.json`);
    assert.match(
      fetched.ok ? 'fetched' : fetched.problem,
      /^localhost resolves to (127\.0\.0\.1|::1), a loopback address, which is never fetched\.$/,
    );
    assert.equal(site.requests.length, before, 'no request reached the server');
  });

  test('refuses a redirect to a loopback address that is not allow-listed', async () => {
    const fetched = await fetchLimitedText(allowedFetcher(), `${origin}/to-loopback`);
    assert.equal(fetched.ok, false);
    assert.match(
      fetched.ok ? '' : fetched.problem,
      /127\.0\.0\.1.*a loopback address, which is never fetched/,
    );
  });

  test('refuses a response larger than the limit, even without a content-length', async () => {
    const fetched = await fetchLimitedText(allowedFetcher({ maxBytes: 1024 }), `${origin}/big.json`);
    assert.equal(fetched.ok ? 'fetched' : fetched.problem, `${origin}/big.json sent more than 1 KB.`);
  });

  test('gives up on a server that does not answer in time', async () => {
    const started = Date.now();
    const fetched = await fetchLimitedText(allowedFetcher({ timeoutMs: 300 }), `${origin}/slow.json`);
    assert.equal(
      fetched.ok ? 'fetched' : fetched.problem,
      `${origin}/slow.json did not answer within 0.3 seconds.`,
    );
    assert.ok(Date.now() - started < 3000);
  });

  test('refuses an answer of another media type than asked for', async () => {
    const fetched = await fetchLimitedText(allowedFetcher(), `${origin}/page.html`, {
      accept: JSON_DOCUMENT_TYPES,
    });
    assert.equal(
      fetched.ok ? 'fetched' : fetched.problem,
      `${origin}/page.html sent text/html, not a JSON document.`,
    );
  });

  test('reuses a cached document within its max-age and fetches again after it', async () => {
    let now = new Date('2026-06-01T12:00:00Z');
    const cache = new ResponseCache(() => now);
    const fetcher = allowedFetcher();
    const first = await fetchLimitedText(fetcher, `${origin}/doc.json`, { cache });
    const second = await fetchLimitedText(fetcher, `${origin}/doc.json`, { cache });
    assert.deepEqual(second, first, 'the second answer came from the cache');
    now = new Date(now.getTime() + 61_000);
    const third = await fetchLimitedText(fetcher, `${origin}/doc.json`, { cache });
    assert.notDeepEqual(third, first, 'after max-age the document is fetched again');
  });

  test('never keeps a no-store answer', async () => {
    const cache = new ResponseCache();
    const fetcher = allowedFetcher();
    const first = await fetchLimitedText(fetcher, `${origin}/fresh.json`, { cache });
    const second = await fetchLimitedText(fetcher, `${origin}/fresh.json`, { cache });
    assert.notDeepEqual(second, first);
  });

  test('refuses plain http', async () => {
    const fetched = await fetchLimitedText(allowedFetcher(), `http://localhost:${site.port}/doc.json`);
    assert.equal(
      fetched.ok ? 'fetched' : fetched.problem,
      `http://localhost:${site.port}/doc.json is not an https:// address.`,
    );
  });
});
