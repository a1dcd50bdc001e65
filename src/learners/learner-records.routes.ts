import { Type } from 'typebox';
import { actingParty } from '../platform/http/access.ts';
import type { HttpServer } from '../platform/http/server.ts';
import { learnerStatuses } from './learner-record-input.ts';
import type { StoredLearner } from './learner-records.repository.ts';
import {
  LEARNERS_PAGE_SIZE,
  type LearnerRecordsService,
  MAX_LEARNERS_PAGE_SIZE,
} from './learner-records.service.ts';
import { learnersRoles } from './learners.policy.ts';

const MAX_ITEMS = 1000;
const statuses = learnerStatuses.join(', ');

// Every field is optional to the schema: a missing or wrong value is reported by the service as 422 naming the
// field (and the item, in a batch), like every other rule, rather than as a 400 for the whole request.
const Fields = {
  givenName: Type.Optional(Type.String({ maxLength: 200, description: 'Given (first) name' })),
  familyName: Type.Optional(
    Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
      description: 'Family (last) name; may be left out for a person with one name',
    }),
  ),
  email: Type.Optional(
    Type.String({ maxLength: 320, description: 'The e-mail the student system keeps for the learner' }),
  ),
  status: Type.Optional(Type.String({ maxLength: 40, description: `One of ${statuses}` })),
};
const OneRecord = Type.Object(Fields);
const Item = Type.Object({
  studentId: Type.Optional(Type.String({ maxLength: 40, description: 'The student system’s ID' })),
  ...Fields,
});
const StudentIdParams = Type.Object({ studentId: Type.String({ minLength: 1, maxLength: 40 }) });

const Learner = Type.Object({
  studentId: Type.String(),
  givenName: Type.Union([Type.String(), Type.Null()], {
    description: 'Null for records made from a self-service form, which asks for one name',
  }),
  familyName: Type.Union([Type.String(), Type.Null()]),
  name: Type.String({ description: 'The name shown on pages and badges' }),
  email: Type.String(),
  status: Type.Union([
    Type.Literal('degree_seeking'),
    Type.Literal('non_degree_seeking'),
    Type.Literal('current'),
    Type.Literal('returning'),
  ]),
  identityConfirmed: Type.Boolean({
    description: 'False while the student ID is only what the learner typed into a form',
  }),
  hasAccount: Type.Boolean({ description: 'Whether the record is linked to a person’s account here' }),
  createdAt: Type.String({ format: 'date-time' }),
});
const Outcome = Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged')]);

const present = (l: StoredLearner) => ({
  studentId: l.studentId,
  givenName: l.givenName,
  familyName: l.familyName,
  name: l.name,
  email: l.email,
  status: l.status,
  identityConfirmed: l.identityConfirmed,
  hasAccount: l.userId !== null,
  createdAt: l.createdAt.toISOString(),
});

const common = { tags: ['Learners'] };
const reading = { access: learnersRoles.exchange_records, scope: 'learners:read' } as const;
const writing = { access: learnersRoles.keep_records, scope: 'learners:write' } as const;

/** Learner records as JSON for the student system: find, read, and upsert one or many. */
export function registerLearnerRecordRoutes(
  app: HttpServer,
  { learnerRecords }: { learnerRecords: LearnerRecordsService },
): void {
  app.get(
    '/api/learners',
    {
      config: reading,
      schema: {
        ...common,
        summary: `Find learner records, ${LEARNERS_PAGE_SIZE} a page`,
        description:
          'Every filter given must match: `studentId` and `email` exactly (letter case aside), `name` and `q` ' +
          '(words in the student ID, name or e-mail) as parts. Ordered by student ID.',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          studentId: Type.Optional(Type.String({ maxLength: 40 })),
          email: Type.Optional(Type.String({ maxLength: 320 })),
          name: Type.Optional(Type.String({ maxLength: 200 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LEARNERS_PAGE_SIZE })),
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            pageCount: Type.Integer(),
            learners: Type.Array(Learner),
          }),
        },
      },
    },
    async (request) => {
      const list = await learnerRecords.list(actingParty(request), request.query);
      return { ...list, learners: list.learners.map(present) };
    },
  );

  app.get(
    '/api/learners/:studentId',
    {
      config: reading,
      schema: {
        ...common,
        summary: 'Read one learner record by student ID',
        params: StudentIdParams,
        response: { 200: Learner },
      },
    },
    async (request) => present(await learnerRecords.find(actingParty(request), request.params.studentId)),
  );

  app.put(
    '/api/learners/:studentId',
    {
      config: writing,
      schema: {
        ...common,
        summary: 'Create or update one learner record',
        description:
          'Sets the record with this student ID to what is sent (201 when it is new); sending the same again ' +
          'changes nothing. Refused values answer 422 with one entry per field in `errors`. A record without an ' +
          'account is linked to the account that has proven its e-mail, if there is one.',
        params: StudentIdParams,
        body: OneRecord,
        response: {
          200: Type.Object({ outcome: Outcome, learner: Learner }),
          201: Type.Object({ outcome: Outcome, learner: Learner }),
        },
      },
    },
    async (request, reply) => {
      const { outcome, learner } = await learnerRecords.upsert(
        actingParty(request),
        request.params.studentId,
        request.body,
      );
      return reply.status(outcome === 'created' ? 201 : 200).send({ outcome, learner: present(learner) });
    },
  );

  app.post(
    '/api/learners',
    {
      config: writing,
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        ...common,
        summary: 'Create or update many learner records',
        description:
          `An array of up to ${MAX_ITEMS} records, matched by student ID; all are written in one transaction, or ` +
          'none. A record that breaks a rule gives 422 with each problem named by its `index`, `field` ' +
          '(`[2].email`) and `reason`. Sending the same again changes nothing.',
        body: Type.Array(Item, { minItems: 1, maxItems: MAX_ITEMS }),
        response: {
          200: Type.Object({
            counts: Type.Object({
              created: Type.Integer(),
              updated: Type.Integer(),
              unchanged: Type.Integer(),
            }),
            items: Type.Array(
              Type.Object({ index: Type.Integer(), studentId: Type.String(), outcome: Outcome }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const items = await learnerRecords.upsertMany(actingParty(request), request.body);
      const counts = { created: 0, updated: 0, unchanged: 0 };
      for (const item of items) counts[item.outcome] += 1;
      return { counts, items };
    },
  );
}
