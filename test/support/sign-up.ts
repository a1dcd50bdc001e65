// Shared by the sign-up tests, the record-linking tests and the security regressions (never by production code).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/platform/clock.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { decodeQuotedPrintable, startSmtp } from './backpack.ts';
import { BrowserSession } from './browser-session.ts';
import { anInstitution } from './builders.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** The password every sign-up in these tests chooses. */
export const SIGN_UP_PASSWORD = 'a sign-up passphrase that is long';

/** A test app without the demo, whose mail goes to a real SMTP server on loopback. */
export async function startSignUpApp(options: { clock?: Clock } = {}) {
  const smtp = await startSmtp();
  const app = await startTestApp({
    runJobs: false,
    mailer: createMailer(smtp.url, 'Stackable <no-reply@example.edu>'),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await anInstitution(app);
  return {
    app,
    smtp,
    async close() {
      await app.close();
      await smtp.close();
    },
  };
}

/** A client address no other test in the file uses, so per-address limits never meet another test's. */
export const aClientAddress = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]! % 250).join('.')}`;

/** A fresh address nobody has signed up with. */
export const aNewAddress = (who = 'newcomer') => `${who}.${randomBytes(4).toString('hex')}@signup.example`;

/** A browser (from its own client address) that fills in the sign-up form. */
export async function signUp(
  app: TestApp,
  fields: { name?: string; email: string; password?: string; confirm?: string; next?: string },
  browser = new BrowserSession(app, aClientAddress()),
) {
  const password = fields.password ?? SIGN_UP_PASSWORD;
  const form: Record<string, string> = {
    name: fields.name ?? 'Imke Vandersloot',
    email: fields.email,
    password,
    confirm: fields.confirm ?? password,
  };
  if (fields.next !== undefined) form.next = fields.next;
  const response = await browser.postForm('/signup', form);
  return { browser, response };
}

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/**
 * Delivers every mail queued for the address through the real SMTP server and returns the newest message's text,
 * decoded, as its recipient reads it.
 */
export async function mailReceivedBy(app: TestApp, smtp: Smtp, address: string): Promise<string> {
  const queued = await app.services.notifications.list({ to: address, limit: 20 });
  for (const mail of queued.reverse()) await app.services.notifications.deliver(mail.id);
  const received = smtp.received.filter((m) => m.to.includes(address)).at(-1);
  if (!received) throw new Error(`the SMTP server received no mail for ${address}`);
  return decodeQuotedPrintable(received.raw);
}

/** The same-site path of the verification link in a message (`/signup/verify?token=…`, with its `next`). */
export function verificationPathIn(text: string): string {
  const match =
    /https?:\/\/[^\s"<>]+(\/signup\/verify\?token=[A-Za-z0-9_.-]+(?:&(?:amp;)?next=[^\s"<>]+)?)/.exec(text);
  if (!match?.[1]) throw new Error('no verification link in the message');
  return match[1].replace(/&amp;/g, '&');
}

/**
 * Opens the verification link and presses its button with the account's password (asked for unless the browser is
 * signed in as that account), as the person would; returns the button's response.
 */
export async function openVerificationLink(
  browser: BrowserSession,
  path: string,
  password: string = SIGN_UP_PASSWORD,
) {
  const page = await browser.get(path);
  const url = new URL(path, 'http://app.test');
  const fields: Record<string, string> = { token: url.searchParams.get('token') ?? '', password };
  const next = url.searchParams.get('next');
  if (next) fields.next = next;
  return { page, response: await browser.postForm('/signup/verify', fields) };
}
