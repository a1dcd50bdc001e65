import { Layout } from '../platform/http/layout.tsx';
import type { PageContext } from '../platform/http/page-context.ts';
import type { AdminGroup } from './admin-screens.ts';

/** The administration index: the settings screens this person may open, a group of cards per area. */
export function AdminIndexPage({ ctx, groups }: { ctx: PageContext; groups: readonly AdminGroup[] }) {
  return (
    <Layout ctx={ctx} title="Administration">
      <h1>Administration</h1>
      <p>The settings screens your roles open, by what they look after.</p>
      {groups.map((group, index) => (
        <section key={group.heading} aria-labelledby={`admin-group-${index}`}>
          <h2 id={`admin-group-${index}`}>{group.heading}</h2>
          <ul class="cards">
            {group.screens.map((screen) => (
              <li class="card" key={screen.href}>
                <a href={screen.href}>
                  <strong>{screen.label}</strong>
                </a>
                <span class="muted">{screen.hint}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}
