import { type MailLayout, mailHtml, mailText } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';

interface BadgeMail {
  to: { name: string; email: string };
  subject: string;
  paragraphs: string[];
  /** The decider's own words, shown as a quotation. */
  comment?: string | null;
  /** A closing line after the comment. */
  after?: string;
  link: { label: string; url: string };
}

function render(mail: BadgeMail): MailMessage {
  const layout: MailLayout = {
    greeting: `Dear ${mail.to.name},`,
    paragraphs: mail.paragraphs,
    quote: mail.comment,
    after: mail.after,
    action: mail.link,
  };
  return { to: mail.to.email, subject: mail.subject, text: mailText(layout), html: mailHtml(layout) };
}

/** To the program lead: a learner asked for their badge. */
export function badgeRequestedMail(input: {
  lead: { name: string; email: string };
  learnerName: string;
  programTitle: string;
  url: string;
}): MailMessage {
  return render({
    to: input.lead,
    subject: `Badge request: ${input.learnerName}, ${input.programTitle}`,
    paragraphs: [
      `${input.learnerName} has met the requirements of ${input.programTitle}, according to their record, and asks for the badge.`,
      'Please check the record and approve the request, or return it with a note on what is missing.',
    ],
    link: { label: 'Review badge requests', url: input.url },
  });
}

/** To the learner: the program lead approved the request. */
export function badgeApprovedMail(input: {
  learner: { name: string; email: string };
  programTitle: string;
  deciderName: string;
  comment: string | null;
  institution: string;
  url: string;
}): MailMessage {
  return render({
    to: input.learner,
    subject: `Your ${input.programTitle} badge request is approved`,
    paragraphs: [
      `${input.deciderName} has checked your record and approved your request for the ${input.programTitle} badge.`,
      `The ${input.institution} credentials team issues approved badges; you will receive another e-mail when yours is ready to claim.`,
    ],
    comment: input.comment,
    link: { label: 'See my progress', url: input.url },
  });
}

/** To the learner: the request came back with a comment. */
export function badgeReturnedMail(input: {
  learner: { name: string; email: string };
  programTitle: string;
  deciderName: string;
  comment: string;
  url: string;
}): MailMessage {
  return render({
    to: input.learner,
    subject: `Your ${input.programTitle} badge request needs attention`,
    paragraphs: [
      `${input.deciderName} looked at your request for the ${input.programTitle} badge and returned it with this note:`,
    ],
    comment: input.comment,
    after: 'Once it is sorted out you can send a new request from your progress page.',
    link: { label: 'See what is needed', url: input.url },
  });
}
