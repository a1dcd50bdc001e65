import { mailHtml } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';

/** The link that proves a new account's address: it works once, within a day. */
export function verifyEmailMail(to: string, name: string, url: string, institution: string): MailMessage {
  const lines = [
    `You (or someone using your address) created a ${institution} micro-credentials account.`,
    'Confirm that this address is yours to finish. The link works once, within 24 hours.',
  ];
  const after = 'If you did not create this account, ignore this message: nothing happens without the link.';
  return {
    to,
    subject: `Confirm your e-mail address for ${institution} micro-credentials`,
    text: `Hello ${name},\n\n${lines.join('\n')}\n\nConfirm your address: ${url}\n\n${after}\n`,
    html: mailHtml({
      greeting: `Hello ${name},`,
      paragraphs: lines,
      action: { label: 'Confirm my e-mail address', url },
      footnote: after,
    }),
    // Opening the link signs its holder in as this account, so staff never see it in the outbox.
    secrets: [url],
  };
}

/**
 * Sent instead of a verification link when someone signs up with an address that already has an account: the
 * page they see says the same either way, and only the owner learns that the address is taken.
 */
export function signUpAgainMail(
  to: string,
  name: string,
  urls: { signIn: string; reset: string },
  institution: string,
): MailMessage {
  const lines = [
    `Someone just tried to create a ${institution} micro-credentials account with this address, which already has one.`,
    'If that was you, sign in instead. If you have forgotten your password, you can choose a new one.',
  ];
  const after = `If it was not you, you need not do anything: your account is unchanged. Reset your password: ${urls.reset}`;
  return {
    to,
    subject: `Your ${institution} micro-credentials account already exists`,
    text: `Hello ${name},\n\n${lines.join('\n')}\n\nSign in: ${urls.signIn}\n\n${after}\n`,
    html: mailHtml({
      greeting: `Hello ${name},`,
      paragraphs: lines,
      action: { label: 'Sign in', url: urls.signIn },
      footnote: after,
    }),
  };
}
