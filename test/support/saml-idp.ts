/**
 * A real SAML 2.0 identity provider (`samlify` in IdP mode) on loopback, for tests of single sign-on: its own
 * signing key made for the test, its own accounts and sign-in page. It checks the app's signed AuthnRequest,
 * answers with a signed (and, by default, encrypted) assertion, and posts it back through the person's browser as
 * a university's provider does. `answers` bends its next answers the ways the negative tests need.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as samlify from 'samlify';

// The app under test validates what this provider sends with its own library; the provider need not check XML
// schemas of the requests it receives (samlify asks for a validator to be named).
samlify.setSchemaValidator({ validate: async () => 'not checked by the test provider' });

/** A person the provider knows: the password for its page and the attributes it releases. */
export interface SamlAccount {
  password: string;
  attributes: Record<string, string | string[]>;
  /** The NameID; persistent by default. */
  nameID?: string;
}

/** How the provider bends its next answers (each test sets and resets what it needs). */
export interface AnswerBends {
  audience?: string;
  recipient?: string;
  /** Moves the provider's clock: negative makes answers already expired. */
  clockOffsetMs?: number;
  /** Answer as if nobody had asked (an IdP-initiated, unsolicited response). */
  unsolicited?: boolean;
}

export interface TestSamlIdp {
  url: string;
  entityId: string;
  /** The metadata to give the app: every signing certificate published, the current one last. */
  metadata: string;
  accounts: Map<string, SamlAccount>;
  answers: AnswerBends;
  /** The LogoutRequests the app sent (checked against its signature first), in order. */
  logoutRequests: { nameID: string; sessionIndex: string | null }[];
  /** The provider's own signed LogoutRequest for a NameID (an IdP-initiated logout), as the address to open. */
  logoutRequestUrl(nameID: string, sessionIndex?: string): Promise<string>;
  /** The SessionIndex the provider gave the sessions of a NameID, newest last. */
  sessionIndexes(nameID: string): string[];
  close(): Promise<void>;
}

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
const escapeHtml = escapeXml;
const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** An RSA key and self-signed certificate for the provider, made with openssl and kept only in memory. */
function makeSigningKey(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stackable-test-idp-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-idp'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const SAML_NS = 'urn:oasis:names:tc:SAML:2.0';
const PERSISTENT = `${SAML_NS}:nameid-format:persistent`;

/** The Response the provider signs, with the bends applied. */
function responseXml(v: {
  id: string;
  assertionId: string;
  issuer: string;
  inResponseTo: string | null;
  acs: string;
  audience: string;
  recipient: string;
  now: Date;
  nameID: string;
  attributes: Record<string, string | string[]>;
}): string {
  const at = v.now.toISOString();
  const until = new Date(v.now.getTime() + 5 * 60 * 1000).toISOString();
  const answering = v.inResponseTo ? ` InResponseTo="${escapeXml(v.inResponseTo)}"` : '';
  const attributes = Object.entries(v.attributes)
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${escapeXml(name)}" NameFormat="${SAML_NS}:attrname-format:uri">` +
        (Array.isArray(value) ? value : [value])
          .map((one) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(one)}</saml:AttributeValue>`)
          .join('') +
        '</saml:Attribute>',
    )
    .join('');
  return (
    `<samlp:Response xmlns:samlp="${SAML_NS}:protocol" xmlns:saml="${SAML_NS}:assertion" ID="${v.id}" ` +
    `Version="2.0" IssueInstant="${at}" Destination="${escapeXml(v.acs)}"${answering}>` +
    `<saml:Issuer>${escapeXml(v.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${SAML_NS}:status:Success"/></samlp:Status>` +
    `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
    `ID="${v.assertionId}" Version="2.0" IssueInstant="${at}"><saml:Issuer>${escapeXml(v.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${PERSISTENT}">${escapeXml(v.nameID)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${SAML_NS}:cm:bearer"><saml:SubjectConfirmationData ` +
    `NotOnOrAfter="${until}" Recipient="${escapeXml(v.recipient)}"${answering}/></saml:SubjectConfirmation>` +
    `</saml:Subject><saml:Conditions NotBefore="${at}" NotOnOrAfter="${until}"><saml:AudienceRestriction>` +
    `<saml:Audience>${escapeXml(v.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${at}" SessionIndex="_s${v.id}"><saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>${SAML_NS}:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
    `</saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>`
  );
}

/**
 * Starts the provider. `spMetadata` is the app's SP metadata (its ACS, its signing and encryption certificate);
 * `rollover` also publishes a retired certificate before the current one, as during a key rollover.
 */
export async function startSamlIdp(options: {
  /** The app's SP metadata, read when the first request arrives (the app makes it once the provider exists). */
  spMetadata: () => Promise<string>;
  encrypt?: boolean;
  rollover?: boolean;
}): Promise<TestSamlIdp> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${url}/idp`;
  const signing = makeSigningKey();
  const published = options.rollover ? [makeSigningKey().cert, signing.cert] : [signing.cert];
  const redirect = `${SAML_NS}:bindings:HTTP-Redirect`;
  const metadata =
    `<EntityDescriptor xmlns="${SAML_NS}:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
    `<IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="${SAML_NS}:protocol">` +
    published
      .map(
        (cert) =>
          `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pemBody(cert)}` +
          '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>',
      )
      .join('') +
    `<SingleLogoutService Binding="${redirect}" Location="${url}/slo"/>` +
    `<NameIDFormat>${PERSISTENT}</NameIDFormat>` +
    `<SingleSignOnService Binding="${redirect}" Location="${url}/sso"/>` +
    '</IDPSSODescriptor></EntityDescriptor>';
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    signingCert: signing.cert,
    privateKey: signing.key,
    wantAuthnRequestsSigned: true,
    wantLogoutRequestSigned: true,
    isAssertionEncrypted: options.encrypt !== false,
    singleSignOnService: [{ Binding: redirect, Location: `${url}/sso` }],
    singleLogoutService: [{ Binding: redirect, Location: `${url}/slo` }],
    nameIDFormat: [PERSISTENT],
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  let known: ReturnType<typeof samlify.ServiceProvider> | undefined;
  const spOf = async () => {
    // The app's messages are signed, and the provider signs its own logout messages to it.
    known ??= samlify.ServiceProvider({
      metadata: await options.spMetadata(),
      wantLogoutRequestSigned: true,
      wantLogoutResponseSigned: true,
    });
    return known;
  };
  const logoutRequests: { nameID: string; sessionIndex: string | null }[] = [];
  const sessionsOf = new Map<string, string[]>();
  /** The query's signed part exactly as sent (the signature covers the raw text). */
  const octetStringOf = (rawUrl: string, kind: 'SAMLRequest' | 'SAMLResponse') => {
    const parts = (rawUrl.split('?')[1] ?? '').split('&');
    return [kind, 'RelayState', 'SigAlg']
      .map((name) => parts.find((part) => part.startsWith(`${name}=`)))
      .filter(Boolean)
      .join('&');
  };
  /** Where the app takes answers: read from its metadata, as a provider reads it. */
  const acsOf = (sp: ReturnType<typeof samlify.ServiceProvider>) => {
    const found = /<(?:\w+:)?AssertionConsumerService[^>]*Location="([^"]+)"/.exec(
      sp.entityMeta.xmlString ?? '',
    );
    if (!found?.[1]) throw new Error('the SP metadata names no assertion consumer service');
    return found[1];
  };
  const accounts = new Map<string, SamlAccount>();
  const answers: AnswerBends = {};
  /** Sign-ins waiting for the person to type their password: the request answered, and the relay state. */
  const pending = new Map<string, { requestId: string | null; relayState: string }>();
  let sequence = 0;

  const loginPage = (key: string, problem = '') =>
    `<!doctype html><html lang="en"><head><title>Test university sign-in (SAML)</title></head><body><main>
<h1>Test university sign-in (SAML)</h1>${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="pending" value="${escapeHtml(key)}">
<p><label for="login">Username</label> <input id="login" name="login" autocomplete="username"></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Sign in</button></p>
</form></main></body></html>`;

  const answer = async (key: string, login: string) => {
    const sp = await spOf();
    const acs = acsOf(sp);
    const waiting = pending.get(key)!;
    pending.delete(key);
    const account = accounts.get(login)!;
    sequence += 1;
    const id = `_r${sequence}${Date.now()}`;
    const nameID = account.nameID ?? login;
    sessionsOf.set(nameID, [...(sessionsOf.get(nameID) ?? []), `_s${id}`]);
    const xml = responseXml({
      id,
      assertionId: `_a${sequence}${Date.now()}`,
      issuer: entityId,
      inResponseTo: answers.unsolicited ? null : waiting.requestId,
      acs,
      audience: answers.audience ?? (sp.entityMeta.getEntityID() as string),
      recipient: answers.recipient ?? acs,
      now: new Date(Date.now() + (answers.clockOffsetMs ?? 0)),
      nameID: account.nameID ?? login,
      attributes: account.attributes,
    });
    const { context } = await idp.createLoginResponse(
      sp,
      { extract: { request: { id: waiting.requestId ?? '' } } },
      'post',
      {},
      { customTagReplacement: () => ({ id, context: xml }) },
    );
    return { samlResponse: context, relayState: waiting.relayState };
  };

  server.on('request', (request, response) => {
    const handle = async () => {
      const here = new URL(request.url ?? '/', url);
      if (request.method === 'GET' && here.pathname === '/sso') {
        // The signature covers the query exactly as sent, so the octet string is cut from the raw address.
        const raw = (request.url ?? '').split('?')[1] ?? '';
        const parts = raw.split('&');
        const octetString = ['SAMLRequest', 'RelayState', 'SigAlg']
          .map((name) => parts.find((part) => part.startsWith(`${name}=`)))
          .filter(Boolean)
          .join('&');
        const query = Object.fromEntries(here.searchParams);
        const parsed = await idp.parseLoginRequest(await spOf(), 'redirect', { query, octetString });
        sequence += 1;
        const key = `p${sequence}`;
        pending.set(key, {
          requestId: String(parsed.extract.request?.id ?? ''),
          relayState: query.RelayState ?? '',
        });
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(key));
        return;
      }
      if (request.method === 'GET' && here.pathname === '/slo') {
        // The app's LogoutRequest (its signature checked): ends the session here and answers, signed.
        const query = Object.fromEntries(here.searchParams);
        const octetString = octetStringOf(request.url ?? '', 'SAMLRequest');
        const parsed = await idp.parseLogoutRequest(await spOf(), 'redirect', { query, octetString });
        const extracted = parsed.extract as { nameID?: string; sessionIndex?: string | null };
        logoutRequests.push({ nameID: extracted.nameID ?? '', sessionIndex: extracted.sessionIndex ?? null });
        const { context } = idp.createLogoutResponse(
          await spOf(),
          parsed as unknown as Parameters<typeof idp.createLogoutResponse>[1],
          'redirect',
          query.RelayState ?? '',
        ) as { context: string };
        response.writeHead(302, { location: context }).end();
        return;
      }
      if (request.method === 'POST' && here.pathname === '/login') {
        const form = await readForm(request);
        const key = form.get('pending') ?? '';
        const login = form.get('login') ?? '';
        if (!pending.has(key)) {
          response.writeHead(400, { 'content-type': 'text/html' }).end('<p>No sign-in is waiting.</p>');
          return;
        }
        if (accounts.get(login)?.password !== form.get('password')) {
          response.writeHead(401, { 'content-type': 'text/html' }).end(loginPage(key, 'Wrong password'));
          return;
        }
        const { samlResponse, relayState } = await answer(key, login);
        const acs = acsOf(await spOf());
        // The page a provider shows on the way back: a form the person's browser posts to the app.
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          `<!doctype html><html lang="en"><head><title>Back to the site</title></head><body><main>
<h1>You are signed in at the university</h1>
<form method="post" action="${escapeHtml(acs)}">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">
<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">
<p><button type="submit">Continue to the site</button></p>
</form></main></body></html>`,
        );
        return;
      }
      response.writeHead(404).end();
    };
    handle().catch((error: unknown) => {
      response
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(error instanceof Error ? (error.stack ?? String(error)) : String(error));
    });
  });

  return {
    url,
    entityId,
    metadata,
    accounts,
    answers,
    logoutRequests,
    sessionIndexes: (nameID) => sessionsOf.get(nameID) ?? [],
    async logoutRequestUrl(nameID, sessionIndex) {
      const made = idp.createLogoutRequest(await spOf(), 'redirect', {
        logoutNameID: nameID,
        ...(sessionIndex ? { sessionIndex } : {}),
      }) as { context: string };
      return made.context;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A person's browser at the provider without a real browser: opens the sign-on address the app sent it to, signs
 * in on the provider's page, and returns the form the provider's page would post back to the app.
 */
export async function signInAtSamlIdp(
  signOnUrl: string,
  login: string,
  password: string,
): Promise<{ acs: URL; fields: Record<string, string> }> {
  const page = await (await fetch(signOnUrl)).text();
  const key = /name="pending" value="([^"]+)"/.exec(page)?.[1];
  if (!key) throw new Error(`the provider did not show its sign-in page: ${page.slice(0, 300)}`);
  const back = await fetch(new URL('/login', signOnUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ pending: key, login, password }).toString(),
  });
  const html = await back.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`the provider did not send the person back: ${html.slice(0, 1200)}`);
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[name!] = value!.replace(/&#(\d+);|&amp;|&quot;|&lt;|&gt;|&apos;/g, (m, code) =>
      code
        ? String.fromCharCode(Number(code))
        : { '&amp;': '&', '&quot;': '"', '&lt;': '<', '&gt;': '>', '&apos;': "'" }[m]!,
    );
  }
  return { acs: new URL(action.replace(/&amp;/g, '&')), fields };
}
