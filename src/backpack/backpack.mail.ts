import { formatDay } from '../platform/http/moment.ts';
import { framedMailHtml, mailHtml } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';
import { type MailTemplate, renderTemplate, type TemplateValues } from './mail-template.ts';

/** The claim mail: the template filled in, its HTML inside the same frame as the app's other mail. */
export function claimMail(to: string, template: MailTemplate, values: TemplateValues): MailMessage {
  const filled = renderTemplate(template, values);
  return {
    to,
    subject: filled.subject,
    text: filled.text,
    html: framedMailHtml(filled.html),
    // The claim link puts the badge in whoever's backpack opens it: only the learner may ever see it.
    secrets: [values.claimUrl],
  };
}

/** Tells a learner their badge was revoked, why, and whom to ask. */
export function revocationMail(input: {
  to: string;
  learnerName: string | null;
  programTitle: string;
  reason: string;
  revokedOn: string;
  institutionName: string;
  institutionEmail: string;
  backpackUrl: string;
}): MailMessage {
  const greeting = `Hello ${input.learnerName ?? 'there'},`;
  const lines = [
    `${input.institutionName} revoked your ${input.programTitle} badge on ${formatDay(input.revokedOn)}.`,
    `The reason recorded: ${input.reason}`,
    'From now on anyone who verifies the badge is told it was revoked, and its public page says so.',
    `If you think this is a mistake, write to ${input.institutionEmail}.`,
  ];
  return {
    to: input.to,
    subject: `Your ${input.programTitle} badge has been revoked`,
    text: `${greeting}\n\n${lines.join('\n\n')}\n\nYour backpack: ${input.backpackUrl}\n`,
    html: mailHtml({
      greeting,
      paragraphs: lines,
      action: { label: 'Open my backpack', url: input.backpackUrl, as: 'link' },
    }),
  };
}
