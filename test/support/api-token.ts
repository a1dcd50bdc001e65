import assert from 'node:assert/strict';
import type { ApiScope } from '../../src/platform/api-scopes.ts';
import { anApiClient } from './builders.ts';
import { aClientAddress } from './sign-up.ts';
import type { TestApp } from './test-app.ts';

/**
 * A new API client holding `scopes`, and an access token it got from /oauth/token over HTTP (client_secret_basic),
 * from a client address of its own so the endpoint's rate limit never meets another test's calls.
 */
export async function anAccessToken(app: TestApp, scopes: ApiScope[]) {
  const client = await anApiClient(app, { scopes });
  const basic = Buffer.from(
    `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`,
  ).toString('base64');
  const response = await app.http.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    remoteAddress: aClientAddress(),
  });
  assert.equal(response.statusCode, 200, response.body);
  return { client, token: response.json().access_token as string };
}
