import { mailHtml } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';

/** The password-reset message: a single-use link that expires. */
export function passwordResetMail(to: string, name: string, url: string, institution: string): MailMessage {
  const lines = [
    `Someone (hopefully you) asked to reset the password of your ${institution} micro-credentials account.`,
    'The link below works once, within one hour.',
  ];
  const after = 'If you did not ask for this, ignore this message: your password stays as it is.';
  return {
    to,
    subject: `Reset your ${institution} micro-credentials password`,
    text: `Hello ${name},\n\n${lines.join('\n')}\n\nReset your password: ${url}\n\n${after}\n`,
    html: mailHtml({
      greeting: `Hello ${name},`,
      paragraphs: lines,
      action: { label: 'Choose a new password', url },
      footnote: after,
    }),
    // Whoever holds the link can take over the account: it is shown to nobody but the recipient.
    secrets: [url],
  };
}

/** The invitation to a staff or learner account. */
export function invitationMail(
  to: string,
  name: string,
  url: string,
  institution: string,
  inviter: string,
  validFor = 'seven days',
): MailMessage {
  const lines = [
    `${inviter} has invited you to the ${institution} micro-credentials service.`,
    `Follow the link to choose a password and finish setting up your account. It works once, within ${validFor}.`,
  ];
  const after = 'If you were not expecting this invitation you can ignore this message.';
  return {
    to,
    subject: `You are invited to ${institution} micro-credentials`,
    text: `Hello ${name},\n\n${lines.join('\n')}\n\nSet up your account: ${url}\n\n${after}\n`,
    html: mailHtml({
      greeting: `Hello ${name},`,
      paragraphs: lines,
      action: { label: 'Set up my account', url },
      footnote: after,
    }),
    secrets: [url],
  };
}

/** The link that confirms an address added to an account; sent to that address only. */
export function addressConfirmationMail(
  to: string,
  name: string,
  url: string,
  institution: string,
): MailMessage {
  const lines = [
    `${name} asked to add this address to their ${institution} micro-credentials account.`,
    'Open the link below while signed in to that account to confirm it. It works once, within 24 hours.',
  ];
  const after = 'If this was not you, ignore this message: the address is not added without the link.';
  return {
    to,
    subject: `Confirm an address for your ${institution} micro-credentials account`,
    text: `Hello ${name},\n\n${lines.join('\n')}\n\nConfirm the address: ${url}\n\n${after}\n`,
    html: mailHtml({
      greeting: `Hello ${name},`,
      paragraphs: lines,
      action: { label: 'Confirm this address', url },
      footnote: after,
    }),
    // Whoever holds the link can attach the address to the account: only the address's owner sees it.
    secrets: [url],
  };
}
