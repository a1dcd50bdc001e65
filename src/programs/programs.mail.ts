import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
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

function Body(props: ProgramMailContent) {
  return h(
    'div',
    { style: 'font-family: Arial, sans-serif; color: #1b2430; line-height: 1.5; max-width: 36rem' },
    h('p', null, `Hello ${props.to.name},`),
    ...props.lines.map((line) => h('p', null, line)),
    props.comment
      ? h(
          'blockquote',
          { style: 'border-left: 4px solid #d5dbe3; margin: 0 0 1em; padding: 0.25em 1em; color: #4a5565' },
          props.comment,
        )
      : null,
    h(
      'p',
      null,
      h(
        'a',
        {
          href: props.action.url,
          style:
            'display: inline-block; background: #0b4f6c; color: #ffffff; padding: 10px 18px; border-radius: 6px; text-decoration: none',
        },
        props.action.label,
      ),
    ),
  );
}

/** Renders one program message as plain text and HTML. */
export function programMail(content: ProgramMailContent): MailMessage {
  const quoted = content.comment ? `\n\n> ${content.comment.split('\n').join('\n> ')}` : '';
  return {
    to: content.to.email,
    subject: content.subject,
    text: `Hello ${content.to.name},\n\n${content.lines.join('\n\n')}${quoted}\n\n${content.action.label}: ${content.action.url}\n`,
    html: renderToString(h(Body, content)),
  };
}
