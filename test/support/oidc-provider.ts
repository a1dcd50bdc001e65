/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback over HTTPS, for tests of single sign-on: its own
 * accounts, its own signing key, and its own tiny sign-in form (no development shortcuts), so the app meets the
 * protocol as a university's provider would speak it. Its TLS certificate comes from one test CA per process
 * (`identityProviderAuthority`), which the app under test is told to trust (see `ssoAppOptions`).
 */
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { fetcherTrusting, makeTestAuthority, type TestAuthority } from './tls-authority.ts';

let authority: TestAuthority | undefined;
/** The CA that signs every test identity provider's certificate in this process. */
export function identityProviderAuthority(): TestAuthority {
  authority ??= makeTestAuthority();
  return authority;
}

/** A person the provider knows: the password for its form and the claims it releases. */
export interface ProviderAccount {
  password: string;
  claims: Record<string, unknown>;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, ProviderAccount>;
  /** The paths asked of the provider, in order: a test can tell that nothing reached it. */
  requested: string[];
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider for one client whose redirect address is `redirectUri`. */
export async function startOidcProvider(options: {
  redirectUri: string;
  idTokenTtlSeconds?: number;
}): Promise<TestOidcProvider> {
  const { key, cert } = identityProviderAuthority();
  const server: Server = createServer({ key, cert });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'stackable-test';
  const clientSecret = 'a-client-secret-only-this-test-knows';
  const accounts = new Map<string, ProviderAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' }] },
    cookies: { keys: ['a-cookie-key-only-this-test-knows'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'student_id', 'groups'],
    },
    ttl: {
      IdToken: options.idTokenTtlSeconds ?? 3600,
      AccessToken: 600,
      Interaction: 600,
      Grant: 600,
      Session: 600,
    },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();

  // The provider's own sign-in form: one page, one account, checked against its password.
  const interaction = async (request: IncomingMessage, response: ServerResponse) => {
    const details = await provider.interactionDetails(request, response);
    if (request.method === 'POST') {
      const form = await readForm(request);
      const login = form.get('login') ?? '';
      if (accounts.get(login)?.password !== form.get('password')) {
        response.writeHead(401, { 'content-type': 'text/html' }).end('<p>Wrong password</p>');
        return;
      }
      const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId: login }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><html lang="en"><head><title>Test university sign-in</title></head><body><main>
<h1>Test university sign-in</h1>
<form method="post" action="/interaction/${escapeHtml(details.uid)}">
<p><label for="login">Username</label> <input id="login" name="login" autocomplete="username"></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Continue</button></p>
</form></main></body></html>`,
    );
  };

  const requested: string[] = [];
  server.on('request', (request, response) => {
    requested.push(request.url ?? '');
    if (request.url?.startsWith('/interaction/')) {
      interaction(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
      return;
    }
    handle(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    requested,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A person's browser at the provider, without a real browser: follows the provider's redirects, keeps its cookies
 * and fills in its form. Returns the address the provider finally sends the person back to (the app's callback).
 */
export async function signInAtProvider(
  authorizationUrl: string,
  login: string,
  password: string,
): Promise<URL> {
  const jar = new Map<string, string>();
  const fetchFromProvider = fetcherTrusting(identityProviderAuthority().ca);
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetchFromProvider(url, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  };
  let response = await go(authorizationUrl);
  let location = response.headers.get('location');
  if (!location) throw new Error(`the provider did not redirect to its sign-in form (${response.status})`);
  const formUrl = new URL(location, authorizationUrl).href;
  await (await go(formUrl)).text();
  response = await go(formUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password }).toString(),
  });
  // From the form back through the provider's authorization endpoint to the app's callback.
  for (let hops = 0; hops < 5; hops += 1) {
    location = response.headers.get('location');
    if (!location)
      throw new Error(`the provider stopped without sending the person back (${response.status})`);
    const next = new URL(location, formUrl);
    if (next.origin !== new URL(authorizationUrl).origin) return next;
    response = await go(next.href);
  }
  throw new Error('the provider redirected too many times');
}
