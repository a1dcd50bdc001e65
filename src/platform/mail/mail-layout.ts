import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * The one HTML layout of the app's mail: a narrow column in the house colours with a greeting, paragraphs, an
 * optional quotation of someone's own words, and one link to act on. Every module's mail goes through it, so a
 * change to how our mail looks is made once.
 */

const frame = 'font-family: Arial, sans-serif; color: #1b2430; line-height: 1.5; max-width: 36rem';
const quote = 'border-left: 4px solid #d5dbe3; margin: 0 0 1em; padding: 0.25em 1em; color: #4a5565';
const button =
  'display: inline-block; background: #0b4f6c; color: #ffffff; padding: 10px 18px; border-radius: 6px; text-decoration: none';
const textLink = 'color: #0b4f6c; font-weight: bold';
const small = 'color: #4a5565; font-size: 14px';

export interface MailLayout {
  greeting: string;
  paragraphs: readonly string[];
  /** Words from a person (a decider's comment), set apart from ours. */
  quote?: string | null | undefined;
  /** A line after the quotation. */
  after?: string | null | undefined;
  /** Where to act: a button, or (for a message that only informs) a plain link. */
  action: { label: string; url: string; as?: 'button' | 'link' };
  /** Small print under the action. */
  footnote?: string | undefined;
}

/** The message's HTML body. Every value is text: preact escapes it, so a name like `<b>` reads as written. */
export function mailHtml(mail: MailLayout): string {
  const { action } = mail;
  return renderToString(
    h(
      'div',
      { style: frame },
      h('p', null, mail.greeting),
      ...mail.paragraphs.map((text) => h('p', null, text)),
      mail.quote ? h('blockquote', { style: quote }, mail.quote) : null,
      mail.after ? h('p', null, mail.after) : null,
      h(
        'p',
        null,
        h('a', { href: action.url, style: action.as === 'link' ? textLink : button }, action.label),
      ),
      mail.footnote ? h('p', { style: small }, mail.footnote) : null,
    ),
  );
}

/** The same message as plain text: a quotation is marked with `> `, the action becomes `label: url`. */
export function mailText(mail: MailLayout): string {
  const quoted = mail.quote ? `\n\n> ${mail.quote.split('\n').join('\n> ')}` : '';
  const after = mail.after ? `\n\n${mail.after}` : '';
  const footnote = mail.footnote ? `\n${mail.footnote}\n` : '';
  return `${mail.greeting}\n\n${mail.paragraphs.join('\n\n')}${quoted}${after}\n\n${mail.action.label}: ${mail.action.url}\n${footnote}`;
}

/** Staff-written HTML (a mail template, already filled in and escaped) inside the same frame. */
export function framedMailHtml(innerHtml: string): string {
  return `<div style="${frame}">${innerHtml}</div>`;
}
