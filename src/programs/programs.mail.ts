import { type MailLayout, mailHtml, mailText } from '../platform/mail/mail-layout.ts';
import type { MailMessage } from '../platform/mail/mailer.ts';

/** What every program e-mail says: who it is for, what happened, and where to act. */
export interface ProgramMailContent {
  to: { name: string; email: string };
  subject: string;
  lines: string[];
  /** A quoted comment from the person who decided, shown set apart. */
  comment?: string | null;
  action: { label: string; url: string };
}

/** Renders one program message as plain text and HTML. */
export function programMail(content: ProgramMailContent): MailMessage {
  const layout: MailLayout = {
    greeting: `Hello ${content.to.name},`,
    paragraphs: content.lines,
    quote: content.comment,
    action: content.action,
  };
  return { to: content.to.email, subject: content.subject, text: mailText(layout), html: mailHtml(layout) };
}
