import type { FieldProblem } from '../platform/errors.ts';
import { FilterSearch, Pager } from '../platform/http/filters.tsx';
import { ChoicesField, CsrfField, ErrorSummary, Field } from '../platform/http/forms.tsx';
import { Layout } from '../platform/http/layout.tsx';
import { Notice } from '../platform/http/notice.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { Role } from '../platform/roles.ts';
import { allRoles, roleLabels } from '../platform/roles.ts';
import type { PersonRow } from './people.service.ts';

/** An account's state in the administrators' words. */
export const accountStatusLabels = {
  active: 'Active',
  invited: 'Invited',
  disabled: 'Deactivated',
} as const satisfies Record<PersonRow['status'], string>;

const inviteLabels = { name: 'Full name', email: 'E-mail address', roles: 'Roles' };
const roleOptions = allRoles.map((role) => ({ value: role, label: roleLabels[role] }));

export interface PeoplePageProps {
  ctx: PageContext;
  list: {
    people: PersonRow[];
    total: number;
    page: number;
    pages: number;
    canInvite: boolean;
  };
  search?: string;
  notice?: string;
  /** Why the last change was refused (the last administrator, one's own account…). */
  problem?: string;
  errors?: FieldProblem[];
  draft?: { email?: string; name?: string; roles?: Role[] };
}

/** The administrators' screen: find people, change their roles, deactivate, reactivate, invite. */
export function PeoplePage(props: PeoplePageProps) {
  const { ctx, list } = props;
  const query = (page: number) => {
    const params = new URLSearchParams();
    if (props.search) params.set('q', props.search);
    if (page > 1) params.set('page', String(page));
    const text = params.toString();
    return text ? `/admin/users?${text}` : '/admin/users';
  };
  return (
    <Layout ctx={ctx} title="People and roles">
      <h1>People and roles</h1>
      <p>
        <a href="/admin/audit">Audit log</a> · <a href="/admin/mail">Outgoing mail</a>
      </p>
      {props.notice ? (
        <Notice kind="ok">
          <p>{props.notice}</p>
        </Notice>
      ) : null}
      {props.problem ? (
        <Notice kind="bad">
          <h2>That change was not made</h2>
          <p>{props.problem}</p>
        </Notice>
      ) : null}
      <form method="get" action="/admin/users" class="filters">
        <FilterSearch name="q" label="Find a person by name or e-mail" value={props.search} />
        <button type="submit" class="button-secondary button">
          Search
        </button>
      </form>
      <p>
        {list.total === 1 ? '1 person' : `${list.total} people`}
        {props.search ? ` match “${props.search}”` : ''}
        {list.pages > 1 ? `; page ${list.page} of ${list.pages}` : ''}.
      </p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Accounts, their roles and what can be done with them</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Roles</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {list.people.map((person) => (
              <PersonRowView key={person.id} ctx={ctx} person={person} />
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Pages of people"
        page={list.page}
        pages={list.pages}
        href={query}
        previous="Previous people"
        next="More people"
        showPosition
      />
      {list.canInvite ? <InviteForm {...props} /> : null}
    </Layout>
  );
}

function PersonRowView({ ctx, person }: { ctx: PageContext; person: PersonRow }) {
  const rolesText = person.roles.map((r) => roleLabels[r]).join(', ') || 'No roles';
  return (
    <tr>
      <th scope="row">
        {person.name}
        {person.isYou ? <span class="muted"> (you)</span> : null}
      </th>
      <td>{person.email}</td>
      <td>{accountStatusLabels[person.status]}</td>
      <td>
        {person.canChangeRoles ? (
          <form method="post" action={`/admin/users/${person.id}/roles`}>
            <CsrfField token={ctx.csrfToken} />
            <RoleChoices legend={`Roles of ${person.name}`} chosen={person.roles} />
            <button type="submit" class="button button-small button-secondary">
              Save roles<span class="visually-hidden"> of {person.name}</span>
            </button>
          </form>
        ) : (
          rolesText
        )}
      </td>
      <td>
        <AccountActions ctx={ctx} person={person} />
      </td>
    </tr>
  );
}

/** The roles as checkboxes named `roles`, in the order of `allRoles`, with a person's current ones ticked. */
function RoleChoices(props: { legend: string; chosen: readonly Role[] }) {
  return (
    <fieldset>
      <legend class="visually-hidden">{props.legend}</legend>
      <div class="tags">
        {allRoles.map((role) => (
          <label key={role} class="tag">
            <input type="checkbox" name="roles" value={role} checked={props.chosen.includes(role)} />{' '}
            {roleLabels[role]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function AccountActions({ ctx, person }: { ctx: PageContext; person: PersonRow }) {
  const action = (path: string, label: string) => (
    <form method="post" action={`/admin/users/${person.id}/${path}`} class="inline-form">
      <CsrfField token={ctx.csrfToken} />
      <button type="submit" class="button button-small button-secondary">
        {label}
        <span class="visually-hidden"> {person.name}</span>
      </button>
    </form>
  );
  return (
    <>
      {person.isYou ? <p class="muted">Another administrator changes your account.</p> : null}
      {person.isLastAdministrator && !person.isYou ? (
        <p class="muted">The last active administrator stays until there is another.</p>
      ) : null}
      {person.canResendInvitation ? action('resend', 'Resend the invitation') : null}
      {person.canDeactivate ? action('deactivate', 'Deactivate') : null}
      {person.canReactivate ? action('reactivate', 'Reactivate') : null}
    </>
  );
}

function InviteForm(props: PeoplePageProps) {
  const { ctx } = props;
  return (
    <>
      <h2 id="invite">Invite someone</h2>
      <ErrorSummary errors={props.errors ?? []} labels={inviteLabels} />
      <form method="post" action="/admin/users" class="stack">
        <CsrfField token={ctx.csrfToken} />
        <Field
          name="name"
          label={inviteLabels.name}
          value={props.draft?.name}
          required
          errors={props.errors}
        />
        <Field
          name="email"
          label={inviteLabels.email}
          type="email"
          value={props.draft?.email}
          required
          errors={props.errors}
        />
        <ChoicesField
          name="roles"
          label={inviteLabels.roles}
          hint="One or more. Signers only sign proposals, such as department chairs and deans."
          kind="checkbox"
          options={roleOptions}
          chosen={props.draft?.roles ?? []}
          errors={props.errors}
        />
        <div>
          <button type="submit">Send the invitation</button>
        </div>
      </form>
    </>
  );
}
