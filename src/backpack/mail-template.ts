import type { FieldProblem } from '../platform/errors.ts';

/** The placeholders a claim mail template may use, and nothing else. */
export const PLACEHOLDERS = ['learnerName', 'programTitle', 'claimUrl', 'institutionName'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

/** A mail template as the credentials office edits it. */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export const TEMPLATE_LIMITS = { subject: 200, text: 20_000, html: 40_000 } as const;

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const isPlaceholder = (name: string): name is Placeholder =>
  (PLACEHOLDERS as readonly string[]).includes(name);

const escapeHtml = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/**
 * What is wrong with a template, field by field: lengths, a placeholder we do not know (a typo would otherwise
 * reach every learner as literal braces), unbalanced braces, and a body without its claim link.
 */
export function templateProblems(template: MailTemplate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of ['subject', 'text', 'html'] as const) {
    const value = template[field];
    if (value.trim() === '') {
      problems.push({ field, reason: 'is required' });
      continue;
    }
    if (value.length > TEMPLATE_LIMITS[field]) {
      problems.push({ field, reason: `must be at most ${TEMPLATE_LIMITS[field]} characters` });
    }
    const unknown = [...value.matchAll(TOKEN)].map((m) => m[1] ?? '').filter((name) => !isPlaceholder(name));
    if (unknown.length > 0) {
      problems.push({
        field,
        reason: `uses ${[...new Set(unknown)].map((n) => `{{${n}}}`).join(', ')}, which is not a placeholder; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      });
    } else if (/\{\{|\}\}/.test(value.replace(TOKEN, ''))) {
      problems.push({ field, reason: 'has {{ or }} that does not form a placeholder' });
    }
    if (field !== 'subject' && ![...value.matchAll(TOKEN)].some((m) => m[1] === 'claimUrl')) {
      problems.push({ field, reason: 'must include {{claimUrl}}, the link that claims the badge' });
    }
  }
  if (/[\r\n]/.test(template.subject)) problems.push({ field: 'subject', reason: 'must be one line' });
  return problems;
}

const fill = (text: string, values: TemplateValues, encode: (v: string) => string): string =>
  text.replace(TOKEN, (whole, name: string) => (isPlaceholder(name) ? encode(values[name]) : whole));

/**
 * Fills a template in. Values are data, never markup: in the HTML body they are escaped, so a learner named
 * `<b>` reads as exactly that. The staff-written HTML around them is kept as written.
 */
export function renderTemplate(template: MailTemplate, values: TemplateValues): MailTemplate {
  return {
    subject: fill(template.subject, values, (v) => v.replace(/\s+/g, ' ')).trim(),
    text: fill(template.text, values, (v) => v),
    html: fill(template.html, values, escapeHtml),
  };
}

/** The claim mail as shipped; the credentials office may replace it at /backpack/templates. */
export const defaultClaimTemplate: MailTemplate = {
  subject: 'Your {{programTitle}} badge from {{institutionName}} is ready to claim',
  text: `Hello {{learnerName}},

Congratulations: {{institutionName}} has awarded you the {{programTitle}} micro-credential, and your digital badge is waiting for you.

Claim it here (the link works once, within 30 days):
{{claimUrl}}

What is a digital badge?
A small image with your achievement signed inside it, following the Open Badges 3.0 standard. It records what you achieved, who awarded it and when, and any change to it would show.

Sharing it
Once claimed, the badge lives in your backpack on our site. From there you can add it to your LinkedIn profile, copy the link to its public page, download the image for a CV or portfolio, or hide the page if you would rather keep it private.

Anyone can check it
Employers and other schools can verify the badge on our site at any time. The check confirms our signature, that the badge is still in good standing and that we issued it.

If you were not expecting this message, you can ignore it.
`,
  html: `<p>Hello {{learnerName}},</p>
<p>Congratulations: {{institutionName}} has awarded you the <strong>{{programTitle}}</strong> micro-credential, and your digital badge is waiting for you.</p>
<p><a href="{{claimUrl}}" style="display:inline-block;background:#0b4f6c;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">Claim my badge</a></p>
<p style="color:#4a5565;font-size:14px">The link works once, within 30 days. If the button does not work, copy this address into your browser: {{claimUrl}}</p>
<h2 style="font-size:17px">What is a digital badge?</h2>
<p>A small image with your achievement signed inside it, following the Open Badges 3.0 standard. It records what you achieved, who awarded it and when, and any change to it would show.</p>
<h2 style="font-size:17px">Sharing it</h2>
<p>Once claimed, the badge lives in your backpack on our site. From there you can add it to your LinkedIn profile, copy the link to its public page, download the image for a CV or portfolio, or hide the page if you would rather keep it private.</p>
<h2 style="font-size:17px">Anyone can check it</h2>
<p>Employers and other schools can verify the badge on our site at any time. The check confirms our signature, that the badge is still in good standing and that we issued it.</p>
<p style="color:#4a5565;font-size:14px">If you were not expecting this message, you can ignore it.</p>
`,
};

/** Example values for the preview on the templates page. */
export const sampleValues = (institutionName: string, publicUrl: string): TemplateValues => ({
  learnerName: "Sam O'Neill",
  programTitle: 'Data Visualization',
  claimUrl: `${publicUrl}/claim?token=example-token`,
  institutionName,
});
