import nodemailer from 'nodemailer';

/** One outgoing message, already rendered. */
export interface MailMessage {
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

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) {
    return { kind: 'outbox-only', send: async () => {}, close: () => {} };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async send(message) {
      await transport.sendMail({
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
