/**
 * Puts two of the demo university's draft proposals part-way through the workflow, so a fresh demo has
 * something in the approver's and the credentials office's inboxes. Uses only the service's own steps, so
 * the history and mail look exactly as if people had done it.
 */
import { AppError } from '../platform/errors.ts';
import { formValuesOf } from './program-form.ts';
import type { ProgramPagesService } from './program-pages.service.ts';
import type { ProgramReviewService } from './program-review.service.ts';
import type { ProposalDraftingService } from './proposal-drafting.service.ts';
import type { ProposalSignaturesService } from './proposal-signatures.service.ts';

interface DemoProposal {
  slug: string;
  lead: string;
  narratives: {
    rationale: string;
    assessmentPlan: string;
    marketAnalysis: string;
    financialModel: string;
    marketingPlan: string;
  };
  deliveryMode: 'online' | 'in_person' | 'hybrid';
  audience: string;
  signers: { email: string; roleLabel: string; signs: boolean }[];
  submit: boolean;
}

const proposals: DemoProposal[] = [
  {
    slug: 'grant-writing-for-community-organizations',
    lead: 'lead@cascaderidge.example',
    deliveryMode: 'hybrid',
    audience: 'Staff and volunteers of local nonprofits, and students who want to work with them.',
    narratives: {
      rationale:
        'Community organizations are part of the university’s service mission, and grant writing is the skill they most often ask our departments for.',
      assessmentPlan:
        'Each learner drafts a complete grant application for a real organization, assessed with a shared rubric by the instructor and the partner.',
      marketAnalysis:
        'Nonprofits in the valley report that grant deadlines go unmet for lack of trained writers; the regional foundation network asked for a short, practical offering.',
      financialModel:
        'Taught as evening workshops by existing continuing-education staff. Twenty learners a year cover instructor time; the badge fee covers issuing.',
      marketingPlan:
        'Announced through the foundation network newsletter, the volunteer centre and the university’s community events page.',
    },
    signers: [{ email: 'approver@cascaderidge.example', roleLabel: 'Section head', signs: false }],
    submit: false,
  },
  {
    slug: 'podcast-production',
    lead: 'lead@cascaderidge.example',
    deliveryMode: 'in_person',
    audience: 'Communication students and working professionals who want to produce audio.',
    narratives: {
      rationale:
        'The studio and the radio station already teach audio informally; a badge gives that learning a recognised form.',
      assessmentPlan:
        'A three-episode podcast produced in the studio, reviewed by the instructor and an industry guest against the outcomes.',
      marketAnalysis:
        'Local media and marketing employers list audio production among the skills they struggle to hire for; students ask for it every term.',
      financialModel:
        'Uses the existing studio and current course sections; no new staff. Expected enrolment is fifteen learners a year.',
      marketingPlan:
        'Shown at open days, in the communication department’s newsletter and through the campus radio station.',
    },
    signers: [{ email: 'lead2@cascaderidge.example', roleLabel: 'Supervisor', signs: true }],
    submit: true,
  },
];

const syllabusText = (title: string) =>
  `${title}\nSyllabus outline (demo)\n\nWeeks 1-4: foundations\nWeeks 5-8: practice with a partner\nWeeks 9-10: final project and review\n`;

/**
 * Moves the demo drafts forward; safe to call on any database: proposals that are missing, no longer drafts
 * or already have signers are left alone. Returns how many were moved.
 */
export async function seedDemoWorkflow(programs: {
  drafting: ProposalDraftingService;
  signatures: ProposalSignaturesService;
  review: ProgramReviewService;
  pages: ProgramPagesService;
}): Promise<number> {
  const { drafting, signatures, review, pages } = programs;
  let moved = 0;
  for (const demo of proposals) {
    const lead = await pages.actorByEmail(demo.lead);
    const id = await pages.programIdBySlug(demo.slug);
    if (!lead || !id) continue;
    const form = await drafting.editForm(lead, id).catch((error: unknown) => {
      if (error instanceof AppError) return undefined;
      throw error;
    });
    if (form?.mode !== 'draft') continue;
    if ((await pages.programPage(lead, id)).signers.length > 0) continue;
    const values = formValuesOf(
      { ...form.fields, deliveryMode: demo.deliveryMode, audience: demo.audience },
      { ...demo.narratives, isInterdisciplinary: false, hasThirdParty: false },
    );
    const syllabus = {
      field: 'syllabus' as const,
      filename: `${demo.slug}-syllabus.txt`,
      content: Buffer.from(syllabusText(form.fields.title)),
      truncated: false,
    };
    await drafting.editProgram(lead, id, values, [syllabus], { expectedVersion: form.program.version });
    for (const signer of demo.signers) await signatures.addSigner(lead, id, signer);
    await signatures.requestSignatures(lead, id);
    for (const signer of demo.signers.filter((s) => s.signs)) {
      const person = await pages.actorByEmail(signer.email);
      if (person) await signatures.signProposal(person, id, 'Reviewed with the department; supported.');
    }
    if (demo.submit) await review.submitProposal(lead, id);
    moved += 1;
  }
  return moved;
}
