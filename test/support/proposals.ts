import type { Page } from 'playwright-core';

/** What a program lead types into a new proposal: its text fields, by label, and the syllabus's content. */
export interface ProposalDraft {
  title: string;
  summary: string;
  description: string;
  department: string;
  credits: string;
  courses: string;
  outcomes: string;
  skills: string;
  marketAnalysis: string;
  financialModel: string;
  marketingPlan: string;
  deliveryMode: string;
  audience: string;
  rationale: string;
  assessment: string;
  syllabus: string;
}

/** Fills the proposal form through its labels, as a person would; the caller saves it. */
export async function fillProposalForm(page: Page, draft: ProposalDraft): Promise<void> {
  const field = (label: string) => page.getByLabel(label, { exact: true });
  await field('Title').fill(draft.title);
  await field('Summary').fill(draft.summary);
  await field('Description').fill(draft.description);
  await field('Department').selectOption(draft.department);
  await field('Credits').fill(draft.credits);
  await field('Courses').fill(draft.courses);
  await field('Learning outcomes').fill(draft.outcomes);
  await field('Skills').fill(draft.skills);
  await field('Market analysis').fill(draft.marketAnalysis);
  await field('Financial model').fill(draft.financialModel);
  await field('Marketing plan').fill(draft.marketingPlan);
  await field(draft.deliveryMode).check();
  await field('Audience').fill(draft.audience);
  await field('Rationale').fill(draft.rationale);
  await field('Assessment').fill(draft.assessment);
  await field('Syllabus').setInputFiles({
    name: 'syllabus.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(draft.syllabus),
  });
}
