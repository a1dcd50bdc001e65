import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  allowedEvents,
  isProgramEvent,
  programEventLabels,
  type TransitionContext,
  transition,
} from './lifecycle.ts';
import {
  isIssuable,
  isListed,
  isOpenForEnrolment,
  isProgramState,
  isPublic,
  type ProgramEvent,
  type ProgramRole,
  type ProgramState,
  programEvents,
  programStateLabels,
  programStates,
} from './program-vocabulary.ts';

// Written out by hand from the process description, independently of the rule table in lifecycle.ts.
const expected: ReadonlyArray<{
  from: ProgramState;
  event: ProgramEvent;
  to: ProgramState;
  by: ProgramRole[];
}> = [
  { from: 'draft', event: 'request_signatures', to: 'awaiting_signatures', by: ['program_lead'] },
  { from: 'awaiting_signatures', event: 'submit', to: 'submitted', by: ['program_lead'] },
  { from: 'awaiting_signatures', event: 'signature_declined', to: 'draft', by: ['signer'] },
  { from: 'submitted', event: 'request_changes', to: 'changes_requested', by: ['credentials_office'] },
  { from: 'changes_requested', event: 'revise', to: 'draft', by: ['program_lead'] },
  { from: 'submitted', event: 'approve_pilot', to: 'pilot', by: ['credentials_office', 'approver'] },
  { from: 'pilot', event: 'submit_full_proposal', to: 'full_proposal_review', by: ['program_lead'] },
  { from: 'pilot', event: 'retire', to: 'retired', by: ['program_lead', 'credentials_office', 'admin'] },
  { from: 'full_proposal_review', event: 'approve_step', to: 'established', by: ['approver'] },
  { from: 'full_proposal_review', event: 'reject', to: 'pilot', by: ['approver'] },
  // An established program is not its lead's alone to end (the programs policy's `retiringRoles`).
  { from: 'established', event: 'retire', to: 'retired', by: ['credentials_office', 'admin'] },
  { from: 'retired', event: 'reinstate', to: 'established', by: ['credentials_office', 'admin'] },
];

const allRoles: ProgramRole[] = ['program_lead', 'signer', 'credentials_office', 'approver', 'admin'];

/** Everything satisfied: every role, every relationship, every precondition, a comment. */
const omnipotent: TransitionContext = {
  actorRoles: allRoles,
  isProgramLead: true,
  isNamedSigner: true,
  allSigned: true,
  remainingSteps: 1,
  hasMou: true,
  mouRequired: true,
  comment: 'Looks fine to me.',
  retirement: { from: 'established' },
};

/** Nobody in particular, all preconditions met. */
const base: TransitionContext = {
  actorRoles: [],
  isProgramLead: false,
  isNamedSigner: false,
  allSigned: true,
  remainingSteps: 1,
  hasMou: false,
  mouRequired: false,
  retirement: { from: 'established' },
};

/** A context in which only `role` applies to the actor. */
function as(role: ProgramRole, extra: Partial<TransitionContext> = {}): TransitionContext {
  return {
    ...base,
    comment: 'A reason.',
    actorRoles: role === 'program_lead' || role === 'signer' ? [] : [role],
    isProgramLead: role === 'program_lead',
    isNamedSigner: role === 'signer',
    ...extra,
  };
}

describe('transition: every (state, event) pair', () => {
  for (const from of programStates) {
    for (const event of programEvents) {
      const row = expected.find((r) => r.from === from && r.event === event);
      if (row === undefined) {
        test(`${from} --${event}--> refused`, () => {
          const result = transition(from, event, omnipotent);
          assert.equal(result.ok, false);
          if (!result.ok) assert.match(result.reason, /is not possible while the program is/);
        });
      } else {
        test(`${from} --${event}--> ${row.to}`, () => {
          for (const role of row.by) {
            const result = transition(from, event, as(role));
            assert.equal(result.ok, true, `${role} should be allowed`);
            if (result.ok) assert.equal(result.to, row.to);
          }
        });
      }
    }
  }
});

describe('transition: roles', () => {
  for (const row of expected) {
    for (const role of allRoles) {
      const allowed = row.by.includes(role);
      test(`${row.event} from ${row.from} by ${role} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const result = transition(row.from, row.event, as(role));
        assert.equal(result.ok, allowed);
        if (!result.ok) assert.match(result.reason, /^Only /);
      });
    }
  }

  test('an actor with no role at all is refused everywhere', () => {
    const nobody = { ...base, comment: 'x' };
    for (const state of programStates) assert.deepEqual(allowedEvents(state, nobody), []);
  });

  test('holding the program_lead role without leading this program is not enough', () => {
    const result = transition('awaiting_signatures', 'submit', { ...base, actorRoles: ['program_lead'] });
    assert.deepEqual(result, { ok: false, reason: 'Only the program lead can submit the proposal' });
  });

  test('holding the signer role without being named on this proposal is not enough', () => {
    const result = transition('awaiting_signatures', 'signature_declined', {
      ...base,
      actorRoles: ['signer'],
      comment: 'No budget.',
    });
    assert.equal(result.ok, false);
  });

  test('an administrator cannot approve on behalf of the approval chain', () => {
    assert.equal(transition('full_proposal_review', 'approve_step', as('admin')).ok, false);
    assert.equal(transition('submitted', 'approve_pilot', as('admin')).ok, false);
  });

  test('the refusal names every role that could act', () => {
    const result = transition('pilot', 'retire', as('approver'));
    assert.deepEqual(result, {
      ok: false,
      reason: 'Only the program lead, the credentials office or an administrator can retire the program',
    });
  });
});

describe('transition: comments', () => {
  const needsComment: Array<[ProgramState, ProgramEvent, ProgramRole, RegExp]> = [
    ['awaiting_signatures', 'signature_declined', 'signer', /comment is required when declining/],
    ['submitted', 'request_changes', 'credentials_office', /comment is required when requesting changes/],
    ['full_proposal_review', 'reject', 'approver', /comment is required when returning/],
  ];
  for (const [from, event, role, reason] of needsComment) {
    test(`${event} needs a comment`, () => {
      for (const comment of [undefined, '', '   \n\t']) {
        const result = transition(from, event, as(role, { comment }));
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.reason, reason);
      }
      const result = transition(from, event, as(role, { comment: 'Please tighten the outcomes.' }));
      assert.equal(result.ok, true);
      if (result.ok) assert.equal(result.effects[0], 'record_comment');
    });
  }

  test('events without a comment requirement succeed without one and record none', () => {
    const result = transition('pilot', 'submit_full_proposal', as('program_lead', { comment: undefined }));
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(result.effects.includes('record_comment'), false);
  });
});

describe('transition: preconditions', () => {
  test('the MOU gate blocks requesting signatures', () => {
    const result = transition('draft', 'request_signatures', as('program_lead', { mouRequired: true }));
    assert.deepEqual(result, {
      ok: false,
      reason:
        'An MOU is required for an interdisciplinary or third-party program before signatures are requested',
    });
    const withMou = transition(
      'draft',
      'request_signatures',
      as('program_lead', { mouRequired: true, hasMou: true }),
    );
    assert.equal(withMou.ok, true);
  });

  test('an MOU is not needed when the program does not require one', () => {
    const result = transition('draft', 'request_signatures', as('program_lead', { hasMou: false }));
    assert.equal(result.ok, true);
  });

  test('the MOU gate also applies at submission', () => {
    const result = transition('awaiting_signatures', 'submit', as('program_lead', { mouRequired: true }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /MOU is required/);
  });

  test('submission waits for every signature', () => {
    const result = transition('awaiting_signatures', 'submit', as('program_lead', { allSigned: false }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /Every named signer must sign/);
  });

  test('role is checked before preconditions, so the reason names the first thing to fix', () => {
    const result = transition('awaiting_signatures', 'submit', as('admin', { allSigned: false }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /^Only the program lead can submit/);
  });

  test('approve_step stays in review until the last step, then establishes', () => {
    for (const remainingSteps of [2, 3, 4, 10]) {
      const result = transition('full_proposal_review', 'approve_step', as('approver', { remainingSteps }));
      assert.equal(result.ok, true);
      if (result.ok) {
        assert.equal(result.to, 'full_proposal_review');
        assert.ok(result.effects.includes('record_approval_step'));
      }
    }
    const last = transition('full_proposal_review', 'approve_step', as('approver', { remainingSteps: 1 }));
    assert.equal(last.ok, true);
    if (last.ok) {
      assert.equal(last.to, 'established');
      assert.ok(last.effects.includes('cancel_pilot_calendar'));
    }
  });

  test('approve_step with nothing left to approve is refused', () => {
    for (const remainingSteps of [0, -1, 1.5, Number.NaN]) {
      const result = transition('full_proposal_review', 'approve_step', as('approver', { remainingSteps }));
      assert.equal(result.ok, false, `remainingSteps ${remainingSteps}`);
    }
  });
});

describe('transition: effects', () => {
  test('approval for pilot publishes, opens enrolment and schedules the pilot calendar', () => {
    const result = transition('submitted', 'approve_pilot', as('approver', { comment: undefined }));
    assert.ok(result.ok);
    assert.deepEqual(
      [...result.effects].sort(),
      ['notify_program_lead', 'open_enrolment', 'publish_listing', 'schedule_pilot_calendar'].sort(),
    );
  });

  test('retiring a pilot cancels its calendar; retiring an established program has none to cancel', () => {
    const fromPilot = transition('pilot', 'retire', as('admin'));
    const fromEstablished = transition('established', 'retire', as('admin'));
    assert.ok(fromPilot.ok && fromEstablished.ok);
    assert.ok(fromPilot.effects.includes('cancel_pilot_calendar'));
    assert.ok(!fromEstablished.effects.includes('cancel_pilot_calendar'));
    for (const r of [fromPilot, fromEstablished]) {
      assert.ok(r.effects.includes('close_enrolment'));
      assert.ok(r.effects.includes('mark_no_longer_offered'));
    }
  });

  test('going back to draft clears signatures so the new version is signed again', () => {
    const declined = transition('awaiting_signatures', 'signature_declined', as('signer'));
    const revised = transition('changes_requested', 'revise', as('program_lead'));
    assert.ok(declined.ok && revised.ok);
    assert.ok(declined.effects.includes('clear_signatures'));
    assert.ok(revised.effects.includes('clear_signatures'));
  });

  test('effects are a fresh array each time', () => {
    const a = transition('pilot', 'retire', as('admin'));
    const b = transition('pilot', 'retire', as('admin'));
    assert.ok(a.ok && b.ok);
    a.effects.push('notify_signers');
    assert.ok(!b.effects.includes('notify_signers'));
  });
});

describe('visibility', () => {
  const cases: Array<[ProgramState, boolean, boolean]> = [
    ['draft', false, false],
    ['awaiting_signatures', false, false],
    ['submitted', false, false],
    ['changes_requested', false, false],
    ['pilot', true, true],
    ['full_proposal_review', false, false],
    ['established', true, true],
    ['retired', true, false],
  ];
  for (const [state, listed, open] of cases) {
    test(`${state}: listed ${listed}, open ${open}`, () => {
      assert.equal(isListed(state), listed);
      assert.equal(isOpenForEnrolment(state), open);
      assert.equal(isPublic(state), open);
      // Badges stay issuable for every listed program, retired ones included.
      assert.equal(isIssuable(state), listed);
    });
  }
});

describe('labels and guards', () => {
  test('every state and event has a distinct, non-empty label', () => {
    const stateLabels = programStates.map((s) => programStateLabels[s]);
    const eventLabels = programEvents.map((e) => programEventLabels[e]);
    for (const labels of [stateLabels, eventLabels]) {
      assert.ok(labels.every((l) => l.trim().length > 0));
      assert.equal(new Set(labels).size, labels.length);
    }
  });

  test('type guards accept only known names', () => {
    assert.ok(isProgramState('pilot'));
    assert.ok(!isProgramState('active'));
    assert.ok(!isProgramState(3));
    assert.ok(isProgramEvent('retire'));
    assert.ok(!isProgramEvent('all_signed'));
  });

  test('unknown states and events coming from stored data are refused, not thrown', () => {
    const badState = transition('active' as ProgramState, 'retire', omnipotent);
    const badEvent = transition('pilot', 'delete' as ProgramEvent, omnipotent);
    assert.equal(badState.ok, false);
    assert.equal(badEvent.ok, false);
  });
});

describe('allowedEvents', () => {
  test('lists exactly the events the lead can apply to a pilot', () => {
    assert.deepEqual(allowedEvents('pilot', as('program_lead')), ['submit_full_proposal', 'retire']);
  });

  test('a retired program can only be reinstated, back to the state it was retired from', () => {
    assert.deepEqual(allowedEvents('retired', omnipotent), ['reinstate']);
    const pilot = transition(
      'retired',
      'reinstate',
      as('credentials_office', { retirement: { from: 'pilot' } }),
    );
    assert.ok(pilot.ok && pilot.to === 'pilot');
  });

  test('a retirement cannot be undone once learners are affected, nor one never recorded', () => {
    const refusal = 'A learner has withdrawn since the retirement was announced';
    const affected = as('admin', { retirement: { from: 'established', reinstateRefusal: refusal } });
    assert.deepEqual(transition('retired', 'reinstate', affected), { ok: false, reason: refusal });
    const unrecorded = transition('retired', 'reinstate', as('admin', { retirement: undefined }));
    assert.equal(unrecorded.ok, false);
  });

  test('retiring needs a reason', () => {
    const result = transition('established', 'retire', as('credentials_office', { comment: '  ' }));
    assert.deepEqual(result, { ok: false, reason: 'A reason is required to retire a program' });
  });

  test('a lead retires their pilot but not their established program', () => {
    assert.equal(transition('pilot', 'retire', as('program_lead')).ok, true);
    const established = transition('established', 'retire', as('program_lead'));
    assert.equal(established.ok, false);
  });
});

describe('properties', () => {
  const contextArb: fc.Arbitrary<TransitionContext> = fc.record({
    actorRoles: fc.subarray(allRoles),
    isProgramLead: fc.boolean(),
    isNamedSigner: fc.boolean(),
    allSigned: fc.boolean(),
    remainingSteps: fc.integer({ min: -1, max: 5 }),
    hasMou: fc.boolean(),
    mouRequired: fc.boolean(),
    comment: fc.option(fc.constantFrom('', '  ', 'Because.'), { nil: undefined }),
    retirement: fc.option(
      fc.record({
        from: fc.constantFrom('pilot' as const, 'established' as const),
        reinstateRefusal: fc.option(fc.constant('A learner withdrew'), { nil: undefined }),
      }),
      { nil: undefined },
    ),
  });
  const stepArb = fc.tuple(fc.constantFrom(...programEvents), contextArb);

  test('random event sequences stay inside the state set and reach established only from review or reinstatement', () => {
    fc.assert(
      fc.property(fc.constantFrom(...programStates), fc.array(stepArb, { maxLength: 60 }), (start, steps) => {
        let state: ProgramState = start;
        for (const [event, context] of steps) {
          const result = transition(state, event, context);
          if (!result.ok) continue;
          assert.ok((programStates as readonly string[]).includes(result.to));
          // Established only by the full chain, or again by reinstating a program retired from established.
          if (result.to === 'established' && state !== 'retired') assert.equal(state, 'full_proposal_review');
          if (state === 'retired') {
            // Only a reinstatement moves a retired program, back to where it was retired from.
            assert.equal(event, 'reinstate');
            assert.equal(result.to, context.retirement?.from);
            assert.equal(context.retirement?.reinstateRefusal, undefined);
          }
          state = result.to;
        }
      }),
    );
  });

  test('allowedEvents agrees with transition for any state and context', () => {
    fc.assert(
      fc.property(fc.constantFrom(...programStates), contextArb, (state, context) => {
        const allowed = allowedEvents(state, context);
        for (const event of programEvents) {
          assert.equal(allowed.includes(event), transition(state, event, context).ok);
        }
      }),
    );
  });

  test('a refusal always carries a non-empty reason', () => {
    fc.assert(
      fc.property(fc.constantFrom(...programStates), stepArb, (state, [event, context]) => {
        const result = transition(state, event, context);
        if (!result.ok) assert.ok(result.reason.length > 0);
      }),
    );
  });
});
