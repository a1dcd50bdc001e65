import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aDepartment,
  aLearner,
  anEnrolment,
  anInstitution,
  anIssuedBadge,
  aProgram,
  aStaffMember,
} from '../../test/support/builders.ts';
import { nodesWithRole, readPdf, tableAfter } from '../../test/support/pdf.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { readCsv } from '../platform/csv.ts';

/** The rows of the table with this caption, as a person reads them. */
function tableCells(html: string, caption: string): string[][] {
  const at = html.indexOf(`<caption>${caption}</caption>`);
  assert.ok(at > 0, `the page has a table "${caption}"`);
  const body = html.slice(html.indexOf('<tbody>', at), html.indexOf('</table>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) => cell[1]!.replace(/&amp;/g, '&')),
  );
}

describe(`the institution overview on ${testBackend}`, () => {
  let app: TestApp;
  let science: string;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    science = (await aDepartment(app, { name: 'Overview Sciences' })).code;
    const arts = (await aDepartment(app, { name: 'Overview Arts' })).code;
    const soils = await aProgram(app, { department: science, status: 'established' });
    await aProgram(app, { department: science, status: 'pilot', creditType: 'non_credit' });
    await aProgram(app, { department: arts, status: 'draft' });
    const badge = await anIssuedBadge(app, { program: soils });
    await app.services.backpack.accept(badge.learner.account!, badge.credentialId);
    await anIssuedBadge(app, { program: soils });
    await anEnrolment(app, await aLearner(app), soils, {
      path: 'non_degree',
      enrolledOn: new Date().toISOString().slice(0, 10),
    });
  });
  after(() => app.close());

  test('administrators see programs by state and department, badges per month and learners by path', async () => {
    const browser = await (await aStaffMember(app, 'admin')).signIn();
    const page = await browser.get(`/insight?department=${science}`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.deepEqual(tableCells(page.body, 'Programs by department'), [['Overview Sciences', '2']]);
    assert.deepEqual(tableCells(page.body, 'Programs by state'), [
      ['Pilot', '1'],
      ['Established', '1'],
    ]);
    const months = tableCells(page.body, 'Badges issued per month');
    assert.equal(months.length, 12, 'the last twelve months, empty ones included');
    assert.equal(months.at(-1)![1], '2', 'this month: the two badges');
    assert.deepEqual(tableCells(page.body, 'Badges issued in the period, as they stand'), [
      ['Issued', '2'],
      ['Claimed by the learner', '1'],
      ['Shared (accepted, page public)', '1'],
      ['Revoked', '0'],
    ]);
    assert.deepEqual(tableCells(page.body, 'Learners enrolled by path')[1], ['Non-degree learners', '1']);
    assert.match(page.body, /<svg role="img" aria-labelledby="chart-[0-9a-f]+-title/);

    const credit = await browser.get(`/insight?department=${science}&creditType=non_credit`);
    assert.deepEqual(tableCells(credit.body, 'Programs by state'), [['Pilot', '1']]);
  });

  test('each export, with the page’s filters, holds the numbers of its table', async () => {
    const browser = await (await aStaffMember(app, 'approver')).signIn();
    const filters = `?department=${science}&creditType=credit`;
    const page = (await browser.get(`/insight${filters}`)).body;
    for (const [key, caption] of [
      ['states', 'Programs by state'],
      ['departments', 'Programs by department'],
      ['months', 'Badges issued per month'],
      ['badges', 'Badges issued in the period, as they stand'],
      ['paths', 'Learners enrolled by path'],
    ] as const) {
      const file = await browser.get(`/insight/${key}.csv${filters}`);
      assert.equal(file.statusCode, 200, key);
      assert.deepEqual(
        readCsv(file.body)
          .slice(1)
          .map((r) => r.fields),
        tableCells(page, caption),
        key,
      );
    }
  });

  test('the PDF report, with the page’s filters, holds the numbers of its tables and exports, tagged', async () => {
    const browser = await (await aStaffMember(app, 'admin')).signIn();
    const filters = `?department=${science}&creditType=credit`;
    const page = (await browser.get(`/insight${filters}`)).body;
    assert.match(
      page,
      new RegExp(`href="/insight/report.pdf\\?department=${science}&amp;creditType=credit"`),
    );
    const file = await browser.get(`/insight/report.pdf${filters}`);
    assert.equal(file.statusCode, 200, file.body.slice(0, 300));
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.match(String(file.headers['content-disposition']), /attachment; filename="overview-.*\.pdf"/);
    const pdf = await readPdf(file.rawPayload);
    try {
      assert.equal(pdf.title, 'Institution overview, Builders University');
      assert.equal(pdf.language, 'en');
      const texts = await pdf.texts();
      assert.ok(
        texts.some((t) => t.includes('Department: Overview Sciences. Credit: Credit-bearing')),
        texts.join(' / '),
      );
      for (const [key, caption] of [
        ['states', 'Programs by state'],
        ['departments', 'Programs by department'],
        ['months', 'Badges issued per month'],
        ['badges', 'Badges issued in the period, as they stand'],
        ['paths', 'Learners enrolled by path'],
      ] as const) {
        const onPage = tableCells(page, caption);
        const csv = readCsv((await browser.get(`/insight/${key}.csv${filters}`)).body).map((r) => r.fields);
        assert.deepEqual(tableAfter(texts, caption, csv[0]!, onPage.length), onPage, `${key}: PDF and page`);
        assert.deepEqual(csv.slice(1), onPage, `${key}: CSV and page`);
      }
      const tree = await pdf.structure();
      // pdf.js gives each page's tree, so a table that runs onto the next page is seen once on each.
      assert.ok(nodesWithRole(tree, 'Table').length >= 4, 'each table is tagged as one');
      assert.ok(nodesWithRole(tree, 'TH').length >= 8, 'header cells are tagged');
      assert.equal(nodesWithRole(tree, 'H1').length, 1);
      const figures = nodesWithRole(tree, 'Figure');
      assert.ok(figures.length >= 2, 'the charts are figures');
      assert.ok(
        figures.every((f) => (f.alt ?? '').length > 10),
        'each with alternative text',
      );
    } finally {
      await pdf.close();
    }
  });

  test('a table that runs onto the next page of the PDF report repeats its header row at the top', async () => {
    // One program in each of 70 more departments: the table of programs by department outgrows a page.
    for (let n = 0; n < 70; n += 1) {
      const department = (await aDepartment(app, { name: `Overview Long ${String(n).padStart(2, '0')}` }))
        .code;
      await aProgram(app, { department, status: 'established' });
    }
    const browser = await (await aStaffMember(app, 'admin')).signIn();
    const page = (await browser.get('/insight')).body;
    const file = await browser.get('/insight/report.pdf');
    assert.equal(file.statusCode, 200, file.body.slice(0, 300));
    const pdf = await readPdf(file.rawPayload);
    try {
      const pages = await pdf.pageTexts();
      assert.ok(pages.length >= 3, `the report runs over ${pages.length} pages`);
      assert.ok(pages[1]!.includes('Overview Long 40'), 'page 2 carries on the table of departments');
      assert.deepEqual(
        pages[1]!.slice(0, 2),
        ['Department', 'Programs'],
        'page 2 starts with the header row',
      );
      const onPage = tableCells(page, 'Programs by department');
      assert.ok(onPage.length > 70);
      assert.deepEqual(
        tableAfter(await pdf.texts(), 'Programs by department', ['Department', 'Programs'], onPage.length),
        onPage,
        'read across pages, the rows are the page’s, each once',
      );
    } finally {
      await pdf.close();
    }
  });

  test('a term narrows badges and enrolments to its dates', async () => {
    const registrar = await aStaffMember(app, 'registrar');
    await app.services.structure.saveOne(
      registrar,
      'terms',
      { code: 'OV2019', name: 'Spring 2019', startsOn: '2019-01-10', endsOn: '2019-05-10' },
      'create',
    );
    const browser = await (await aStaffMember(app, 'credentials_office')).signIn();
    const page = (await browser.get('/insight?term=OV2019')).body;
    assert.match(
      page,
      /Badges and enrolments from <time class="nowrap" datetime="2019-01-10">January 10, 2019<\/time> to <time class="nowrap" datetime="2019-05-10">May 10, 2019<\/time> \(Spring 2019\)/,
    );
    assert.deepEqual(
      tableCells(page, 'Badges issued per month').map((row) => row[1]),
      ['0', '0', '0', '0', '0'],
    );
  });

  test('leads, the registrar and the bursar are refused; an unknown department is a clear error', async () => {
    for (const role of ['program_lead', 'registrar', 'bursar'] as const) {
      const browser = await (await aStaffMember(app, role)).signIn();
      assert.equal((await browser.get('/insight')).statusCode, 403, role);
      assert.equal((await browser.get('/insight/months.csv')).statusCode, 403, role);
      assert.equal((await browser.get('/insight/report.pdf')).statusCode, 403, role);
    }
    const browser = await (await aStaffMember(app, 'admin')).signIn();
    const wrong = await browser.get('/insight?department=NOPE');
    assert.ok([400, 422].includes(wrong.statusCode), String(wrong.statusCode));
    assert.match(wrong.body, /department/i);
    assert.doesNotMatch(wrong.body, /at .*\.ts:\d+/);
  });
});
