/**
 * Retiring a program and undoing it. A retirement records its reason and the learners in progress it was
 * announced to, and tells the program's lead, the credentials office and each of those learners. It can be
 * reinstated until a learner has been affected (reinstatement.ts).
 */
import { newId } from '../platform/ids.ts';
import { countOf, wordFor } from '../platform/words.ts';
import type { LifecycleEffect, LifecycleStep } from './program-lifecycle.service.ts';
import type { ProgramMailer } from './program-mailer.ts';
import { insertRetirement, learnersInProgress, markReinstated } from './program-retirements.repository.ts';

/** The lifecycle effects of `retire` and `reinstate`, carried out inside the deciding transaction. */
export function retirementEffects(mailer: ProgramMailer): {
  retire: LifecycleEffect;
  reinstate: LifecycleEffect;
} {
  return {
    retire: async (step) => {
      const { trx, actor, loaded, comment, at, detail } = step;
      const program = loaded.program;
      const from = program.status === 'pilot' ? 'pilot' : 'established';
      const learners = await learnersInProgress(trx, program.id);
      await insertRetirement(trx, {
        id: newId(),
        programId: program.id,
        from,
        reason: comment ?? '',
        by: actor.id,
        at,
        enrolmentIds: learners.map((l) => l.enrolment_id),
      });
      detail.reason = comment;
      detail.learnersTold = learners.length;
      await tellStaff(mailer, step, `Program retired: ${program.title}`, [
        `${actor.name} retired ${program.title}. It is no longer offered to new learners.`,
        `${countOf(learners.length, 'learner is', 'learners are')} still in progress and ${wordFor(learners.length, 'has', 'have')} been told; they can still finish and receive the badge.`,
      ]);
      for (const learner of learners) {
        await mailer.send(trx, {
          to: { name: learner.name, email: learner.email },
          subject: `${program.title} will no longer be offered`,
          lines: [
            `${program.title} has been retired: no new learners can enrol.`,
            'You are already enrolled, so you can still complete it and receive its badge.',
          ],
          comment: null,
          action: { label: 'See the program', url: mailer.catalogUrl(program.slug) },
        });
      }
      return undefined;
    },
    reinstate: async (step) => {
      const { trx, actor, loaded, at } = step;
      const program = loaded.program;
      const retirement = loaded.retirement;
      if (retirement) await markReinstated(trx, retirement.id, actor.id, at);
      await tellStaff(mailer, step, `Program reinstated: ${program.title}`, [
        `${actor.name} reinstated ${program.title}; it is offered again.`,
      ]);
      for (const learner of await learnersInProgress(trx, program.id)) {
        await mailer.send(trx, {
          to: { name: learner.name, email: learner.email },
          subject: `${program.title} is offered again`,
          lines: [`${program.title} is no longer being retired; it continues as before.`],
          comment: null,
          action: { label: 'See the program', url: mailer.catalogUrl(program.slug) },
        });
      }
      return undefined;
    },
  };
}

/** The lead (unless they acted) and the credentials office hear of a retirement and its undoing. */
async function tellStaff(mailer: ProgramMailer, step: LifecycleStep, subject: string, lines: string[]) {
  const { trx, actor, loaded, comment } = step;
  const program = loaded.program;
  if (program.lead_user_id !== actor.id) {
    await mailer.toLead(trx, program, { subject, lines, comment, label: 'Open the program' });
  }
  await mailer.toRole(trx, 'credentials_office', program, {
    subject,
    lines,
    comment: comment ?? null,
    action: { label: 'Open the program', url: mailer.programUrl(program.id) },
  });
}
