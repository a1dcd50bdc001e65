// Shared by the backpack's and the mail outbox's integration tests and the backpack's browser journey (never by production code).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { TestApp } from './test-app.ts';

/**
 * A real SMTP server on loopback that keeps every message it receives. With `failFirst`, it refuses that many
 * messages first with a temporary error (451), as a busy mail server does; with `refuseWhile`, it refuses every
 * message for as long as that says so (an outage, timed by the test's clock); with `replyTo`, a message to a
 * recipient it names is refused with that SMTP reply code (550 for a mailbox that does not exist, say); `onAccepted`
 * is called with each message's recipient just after the server has answered that it took it.
 */
export async function startSmtp(
  options: {
    failFirst?: number;
    refuseWhile?: () => boolean;
    replyTo?: (recipient: string) => number | undefined;
    onAccepted?: (recipient: string) => void;
  } = {},
) {
  const received: { to: string[]; raw: string }[] = [];
  let toFail = options.failFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Closing waits this long for clients to leave before it drops them (30 s by default): an app still running,
    // whose mailer keeps pooled connections open, would hold its test that long. Close the app first anyway.
    closeTimeout: 1000,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const recipient = session.envelope.rcptTo[0]?.address ?? '';
        const code = options.replyTo?.(recipient);
        if (code !== undefined) {
          callback(Object.assign(new Error(`Refused for ${recipient}`), { responseCode: code }));
          return;
        }
        if (options.refuseWhile?.()) {
          callback(Object.assign(new Error('Service unavailable, try again later'), { responseCode: 451 }));
          return;
        }
        if (toFail > 0) {
          toFail--;
          callback(new Error('451 try again later'));
          return;
        }
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
        options.onAccepted?.(recipient);
      });
    },
  });
  // A client that goes away mid-conversation (a killed worker) is the client's problem, not the test's.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Undoes quoted-printable soft breaks and escapes, enough to read ASCII links out of a raw message. */
export const decodeQuotedPrintable = (raw: string): string =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** The claim link in a message body (same-site path with its token). */
export function claimPathIn(body: string): string {
  const match = /https?:\/\/[^\s"<>]+(\/claim\?token=[A-Za-z0-9_.-]+)/.exec(body);
  if (!match?.[1]) throw new Error('no claim link in the message');
  return match[1];
}

/** Issues a badge the way issuing does: the credential and the backpack's claim mail in one transaction. */
export async function issueBadge(
  app: TestApp,
  learner: { email: string; name?: string },
  slug = 'data-visualization',
): Promise<string> {
  return app.database.db.transaction().execute(async (trx) => {
    const issued = await app.services.credentials.issueCredential(
      { system: 'backpack test' },
      { slug, learner },
      trx,
    );
    await app.services.backpack.onCredentialIssued(trx, {
      credentialId: issued.id,
      learnerEmail: learner.email,
      learnerName: learner.name,
      programTitle: issued.credential.name,
    });
    return issued.id;
  });
}

/** The newest message queued for an address, from the outbox. */
export async function latestMailTo(app: TestApp, address: string) {
  const [mail] = await app.services.notifications.list({ to: address, limit: 1 });
  if (!mail) throw new Error(`no mail queued for ${address}`);
  return mail;
}

/** The address-confirmation link in a message body (same-site path with its token). */
export function confirmPathIn(body: string): string {
  const match = /https?:\/\/[^\s"<>]+(\/account\/emails\/confirm\?token=[A-Za-z0-9_-]+)/.exec(body);
  if (!match?.[1]) throw new Error('no address-confirmation link in the message');
  return match[1];
}
