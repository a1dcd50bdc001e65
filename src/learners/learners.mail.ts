import { formatDay } from '../platform/http/moment.ts';
import { type MailLayout, mailHtml, mailText } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';

interface LearnerMail {
  to: { name: string; email: string };
  subject: string;
  paragraphs: string[];
  /** Words from the member of staff who decided, set apart from ours. */
  staffComment?: string | null;
  link: { label: string; url: string };
}

function render(mail: LearnerMail): MailMessage {
  const layout: MailLayout = {
    greeting: `Dear ${mail.to.name},`,
    paragraphs: mail.paragraphs,
    quote: mail.staffComment,
    action: { ...mail.link, as: 'link' },
  };
  return { to: mail.to.email, subject: mail.subject, text: mailText(layout), html: mailHtml(layout) };
}

interface Context {
  to: { name: string; email: string };
  programTitle: string;
  institution: string;
  publicUrl: string;
}

/** Sent when someone enrols in a micro-credential (directly, or after a reactivation is approved). */
export function enrolmentConfirmedMail(c: Context & { enrolledOn: string }): MailMessage {
  return render({
    to: c.to,
    subject: `You are enrolled: ${c.programTitle}`,
    paragraphs: [
      `Your enrolment in the ${c.programTitle} micro-credential at ${c.institution} is recorded as of ${formatDay(c.enrolledOn)}.`,
      'Grades from your courses reach your record from the student information system after each term. Once every requirement is met you can request the badge.',
    ],
    link: { label: 'See your micro-credentials', url: `${c.publicUrl}/home` },
  });
}

/** Sent when staff approve a returning student's request: the record is active again and the enrolment exists. */
export function reactivationApprovedMail(c: Context & { comment: string | null }): MailMessage {
  return render({
    to: c.to,
    subject: `Welcome back: your record is active for ${c.programTitle}`,
    paragraphs: [
      `Staff at ${c.institution} reactivated your student record, and you are now enrolled in the ${c.programTitle} micro-credential.`,
      ...(c.comment ? ['They added this note:'] : []),
    ],
    staffComment: c.comment,
    link: { label: 'See your micro-credentials', url: `${c.publicUrl}/home` },
  });
}

/** Sent when staff decline a reactivation request; the reason is always included. */
export function reactivationDeclinedMail(c: Context & { comment: string; catalogSlug: string }): MailMessage {
  return render({
    to: c.to,
    subject: `About your request to return: ${c.programTitle}`,
    paragraphs: [
      `Staff at ${c.institution} could not reactivate your record for the ${c.programTitle} micro-credential this time. Their reason:`,
    ],
    staffComment: c.comment,
    link: {
      label: 'Read about the micro-credential and other ways to enrol',
      url: `${c.publicUrl}/catalog/${c.catalogSlug}`,
    },
  });
}
