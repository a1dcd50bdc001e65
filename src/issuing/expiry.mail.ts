import { formatDay } from '../platform/http/moment.ts';
import { mailHtml, mailText } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';

/** Reminds a learner that a badge expires soon, and where to renew it. */
export function expiryReminderMail(input: {
  to: string;
  learnerName: string;
  programTitle: string;
  validUntil: Date;
  daysBefore: number;
  backpackUrl: string;
}): MailMessage {
  const on = formatDay(input.validUntil);
  const layout = {
    greeting: `Hello ${input.learnerName},`,
    paragraphs: [
      `Your ${input.programTitle} badge expires on ${on}, in ${input.daysBefore} days or less.`,
      'After that day anyone who verifies it is told it has expired, though it stays a genuine record of what you achieved.',
      'You can ask to renew it from your backpack. A renewed badge is a new credential that names this one; it is issued once you meet the program’s renewal requirement with work done since this badge was awarded.',
    ],
    action: { label: 'Open my backpack', url: input.backpackUrl, as: 'link' as const },
  };
  return {
    to: input.to,
    subject: `Your ${input.programTitle} badge expires on ${on}`,
    text: mailText(layout),
    html: mailHtml(layout),
  };
}
