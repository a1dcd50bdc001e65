import nodemailer from 'nodemailer';

/** One outgoing message, already rendered. */
export interface MailMessage {
  /**
   * The outbox's id for the message: it becomes the Message-ID, the same on every attempt, so a mail system that
   * receives a message twice (a send whose success could not be recorded) can tell it is one message.
   */
  id?: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /**
   * The one-time links (or tokens) in this message that only its recipient may see: reset, invitation and claim
   * links. The template that builds the message lists them; the outbox blanks them in the copy staff can read.
   */
  secrets?: readonly string[];
}

/** Sends mail. Two kinds: SMTP, or (with no SMTP_URL) a keeper that leaves mail in the outbox for /dev/mail. */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox-only';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * How many SMTP connections stay open to the server. A connection per message (nodemailer's default) costs a
 * handshake each time and held mail to about one message a second; a small pool of reused connections is what
 * most relays allow per client. The bulk mail worker sends on fewer than this at once, so one is always free for
 * account mail (see notifications.jobs.ts).
 */
export const SMTP_POOL_SIZE = 5;

/** How long the mailer waits on the server: to connect, for its greeting, and through a silence while talking. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/**
 * The longest one send can take before the mailer gives up on the server (each of its waits in turn), with ten
 * seconds to spare. Deliveries start no send they could not finish under their claim on the message.
 */
export const LONGEST_SEND_MS = CONNECTION_TIMEOUT_MS + GREETING_TIMEOUT_MS + SOCKET_TIMEOUT_MS + 10_000;

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) {
    return { kind: 'outbox-only', send: async () => {}, close: () => {} };
  }
  // A connection is replaced after some messages, which some servers require; settings in the URL win.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: SMTP_POOL_SIZE,
    maxMessages: 500,
    // nodemailer waits minutes by default for a server that does not answer; a batch of mail behind such waits
    // would outlast its job's 15 minutes (a bulk batch of 100, four at a time: 25 waits of at most 30 s). A silent
    // server is an outage like a refusing one: fail soon and retry later.
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return {
    kind: 'smtp',
    async send(message) {
      await transport.sendMail({
        ...(message.id ? { messageId: `<${message.id}@${domain}>` } : {}),
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
    },
    close: () => transport.close(),
  };
}
