import type { ComponentChildren } from 'preact';
import type { PageContext, StaffNavItem } from './page-context.ts';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  head?: ComponentChildren;
  children: ComponentChildren;
}

function NavLink({ href, path, children }: { href: string; path: string; children: ComponentChildren }) {
  const current = path === href || (href !== '/' && path.startsWith(`${href}/`));
  return (
    <li>
      <a href={href} aria-current={current ? 'page' : undefined}>
        {children}
      </a>
    </li>
  );
}

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

function StaffLinks({ items, path }: { items: readonly StaffNavItem[]; path: string }) {
  return (
    <>
      {items.map((item) => (
        <li key={item.href}>
          <a href={item.href} aria-current={isUnder(path, item.prefix) ? 'page' : undefined}>
            {item.label}
          </a>
        </li>
      ))}
    </>
  );
}

/**
 * The staff bar under the header. Wide screens show the links in a row; narrow ones a disclosure instead, which
 * opens without script. Only one of the two is displayed, so assistive technology meets the links once.
 */
function StaffNav({ items, path }: { items: readonly StaffNavItem[]; path: string }) {
  return (
    <nav class="staff-nav" aria-label="Staff">
      <div class="wrap">
        <ul class="staff-nav-bar">
          <StaffLinks items={items} path={path} />
        </ul>
        <details class="staff-nav-menu">
          <summary>Staff menu</summary>
          <ul>
            <StaffLinks items={items} path={path} />
          </ul>
        </details>
      </div>
    </nav>
  );
}

/**
 * The institution's mark and name, linking home. The logo's text alternative is the institution's name, so the
 * name is not written out beside it a second time; without a logo, the short name is a decorative badge next to
 * the full name (left out when the two are the same, as in an install that is not set up).
 */
function Brand({ ctx }: { ctx: PageContext }) {
  const { institutionName: name, institutionShortName: shortName, institutionLogoPath: logo } = ctx;
  return (
    <a class="brand" href="/">
      {logo ? (
        <img class="brand-logo" src={logo} alt={name} />
      ) : shortName !== name ? (
        <span class="brand-mark" aria-hidden="true">
          {shortName}
        </span>
      ) : null}
      <span class="brand-text">{logo ? 'Micro-credentials' : `${name} Micro-credentials`}</span>
    </a>
  );
}

/** The one page layout: skip link, landmarks, navigation that follows the person's roles. */
export function Layout({ ctx, title, description, head, children }: LayoutProps) {
  const { actor, path } = ctx;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${ctx.institutionShortName} Micro-credentials`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href="/assets/site.css" />
        {/^#[0-9a-fA-F]{6}$/.test(ctx.brandColour) ? (
          <style>{`:root{--brand:${ctx.brandColour}}`}</style>
        ) : null}
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <Brand ctx={ctx} />
            {ctx.showSetUpNotice ? (
              <a class="setup-tag" href="/admin/institution">
                Institution not set up yet
              </a>
            ) : null}
            <nav aria-label="Main">
              <ul class="nav">
                <NavLink href="/catalog" path={path}>
                  Catalog
                </NavLink>
                <NavLink href="/verify" path={path}>
                  Verify a badge
                </NavLink>
                {actor ? (
                  <NavLink href="/home" path={path}>
                    My home
                  </NavLink>
                ) : null}
                {/* Staff reach administration from the staff bar. */}
                {ctx.showAdminLink && ctx.staffNav.length === 0 ? (
                  <NavLink href="/admin" path={path}>
                    Admin
                  </NavLink>
                ) : null}
              </ul>
            </nav>
            <div class="account">
              {actor ? (
                <form method="post" action="/logout" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <span class="who">{actor.name}</span>{' '}
                  <button type="submit" class="link-button">
                    Sign out
                  </button>
                </form>
              ) : (
                <a href="/login" class="button button-small">
                  Sign in
                </a>
              )}
            </div>
          </div>
          {ctx.staffNav.length > 0 ? <StaffNav items={ctx.staffNav} path={path} /> : null}
        </header>
        <main id="main" tabIndex={-1}>
          <div class="wrap">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              {ctx.institutionName} · Micro-credentials and digital badges, verifiable by anyone.{' '}
              <a href="/verify">Verify a badge</a> · <a href="/help">Help</a> · <a href="/docs">API</a>
            </p>
            <p class="muted">Powered by Stackable, open-source software for stackable credentials.</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
