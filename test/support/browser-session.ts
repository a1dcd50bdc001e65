import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './test-app.ts';

/**
 * A browser-like client over `fastify.inject`: keeps cookies, reads the CSRF token from forms, and posts forms the
 * way a browser does. It goes through the whole HTTP stack (hooks, CSRF, access rules), only without a socket.
 */
export class BrowserSession {
  readonly cookies = new Map<string, string>();

  /** `remoteAddress`: the client address the app sees, for tests of per-address limits. */
  constructor(
    private readonly app: TestApp,
    private readonly remoteAddress = '127.0.0.1',
  ) {}

  #cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #keep(response: LightMyRequestResponse) {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.#keep(
      await this.app.http.inject({
        method: 'GET',
        url,
        remoteAddress: this.remoteAddress,
        headers: { cookie: this.#cookieHeader(), ...headers },
      }),
    );
  }

  /** The CSRF token a page would embed in its forms. */
  async csrfToken(): Promise<string> {
    // Signed-in pages carry it in the sign-out form; the sign-in page carries it for everyone else.
    for (const url of ['/', '/login']) {
      const match = /name="_csrf" value="([^"]+)"/.exec((await this.get(url)).body);
      if (match?.[1]) return match[1];
    }
    throw new Error('no page offered a CSRF token');
  }

  /** The headers a script on our own pages sends with an API call: the cookies and the CSRF token. */
  async apiHeaders(): Promise<Record<string, string>> {
    const token = await this.csrfToken();
    return { cookie: this.#cookieHeader(), 'x-csrf-token': token };
  }

  /** Posts a form, with the CSRF token unless `csrf` is false. Arrays become repeated fields, like checkboxes. */
  async postForm(url: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}) {
    const body = new URLSearchParams();
    if (options.csrf !== false) body.set('_csrf', await this.csrfToken());
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return this.#keep(
      await this.app.http.inject({
        method: 'POST',
        url,
        remoteAddress: this.remoteAddress,
        payload: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.#cookieHeader() },
      }),
    );
  }

  async login(email: string, password: string) {
    const response = await this.postForm('/login', { email, password });
    if (response.statusCode !== 303) throw new Error(`login failed for ${email}: ${response.statusCode}`);
    return response;
  }
}
