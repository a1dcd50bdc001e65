import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  defaultClaimTemplate,
  type MailTemplate,
  renderTemplate,
  templateProblems,
} from './mail-template.ts';

const values = {
  learnerName: 'Ada Lovelace',
  programTitle: 'Data Visualization',
  claimUrl: 'https://badges.example.edu/claim?token=abc.def',
  institutionName: 'Cascade Ridge University',
};
const valid: MailTemplate = {
  subject: 'Your {{programTitle}} badge',
  text: 'Hi {{ learnerName }}, claim it: {{claimUrl}}',
  html: '<p>Hi {{learnerName}}, <a href="{{claimUrl}}">claim it</a></p>',
};

describe('claim mail templates', () => {
  test('the default template is valid and names every part of the message', () => {
    assert.deepEqual(templateProblems(defaultClaimTemplate), []);
    const filled = renderTemplate(defaultClaimTemplate, values);
    assert.equal(
      filled.subject,
      'Your Data Visualization badge from Cascade Ridge University is ready to claim',
    );
    for (const body of [filled.text, filled.html]) {
      assert.ok(body.includes(values.claimUrl));
      assert.ok(body.includes('Ada Lovelace'));
      assert.doesNotMatch(body, /\{\{|\}\}/);
    }
  });

  test('placeholders may carry spaces inside the braces', () => {
    assert.equal(renderTemplate(valid, values).text, `Hi Ada Lovelace, claim it: ${values.claimUrl}`);
  });

  test('an unknown placeholder is refused, naming the field and the placeholder', () => {
    const problems = templateProblems({ ...valid, text: 'Dear {{studentName}}: {{claimUrl}}' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.field, 'text');
    assert.match(problems[0]!.reason, /\{\{studentName\}\}/);
  });

  test('stray braces, a missing claim link, an empty or multi-line subject are refused', () => {
    const fields = (t: MailTemplate) => templateProblems(t).map((p) => p.field);
    assert.deepEqual(fields({ ...valid, html: '<p>{{claimUrl}} and {{ broken</p>' }), ['html']);
    assert.deepEqual(fields({ ...valid, text: 'No link here, {{learnerName}}' }), ['text']);
    assert.deepEqual(fields({ ...valid, subject: '  ' }), ['subject']);
    assert.deepEqual(fields({ ...valid, subject: 'One\nTwo' }), ['subject']);
  });

  test('values are escaped in the HTML body and left as they are in the text body', () => {
    const filled = renderTemplate(valid, { ...values, learnerName: `<img src=x onerror="x()"> & 'co'` });
    assert.ok(filled.html.includes('Hi &lt;img src=x onerror=&quot;x()&quot;&gt; &amp; &#39;co&#39;,'));
    assert.ok(filled.text.includes(`Hi <img src=x onerror="x()"> & 'co',`));
  });

  test('no value can add markup to the HTML body', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, title) => {
        const html = renderTemplate(valid, { ...values, learnerName: name, programTitle: title }).html;
        const markup = html.match(/[<>]/g)?.length ?? 0;
        assert.equal(markup, (valid.html.match(/[<>]/g) ?? []).length);
      }),
    );
  });

  test('the subject stays on one line whatever the values hold', () => {
    const filled = renderTemplate(valid, { ...values, programTitle: 'Data\r\nBcc: someone@example.org' });
    assert.equal(filled.subject, 'Your Data Bcc: someone@example.org badge');
  });
});
