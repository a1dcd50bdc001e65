import type { ComponentChildren } from 'preact';

/** The four kinds of notice the stylesheet colours: done, refused or broken, take care, and for your information. */
export type NoticeKind = 'ok' | 'bad' | 'warn' | 'info';
type NoticeRole = 'status' | 'alert' | 'note';

/**
 * A coloured notice. A confirmation is a polite live region and a refusal an assertive one, so a screen reader
 * announces what just happened after a form posts back; warnings and information are read in page order unless
 * the caller gives them a role.
 */
const rolesByKind: Record<NoticeKind, NoticeRole | undefined> = {
  ok: 'status',
  bad: 'alert',
  warn: undefined,
  info: undefined,
};

export function Notice({
  kind,
  as: Tag = 'div',
  role,
  children,
  ...labelling
}: {
  kind: NoticeKind;
  /** A paragraph when the notice is one sentence; a section when it has its own heading. */
  as?: 'div' | 'p' | 'section';
  role?: NoticeRole;
  'aria-labelledby'?: string;
  'aria-label'?: string;
  children?: ComponentChildren;
}) {
  return (
    <Tag class={`notice notice-${kind}`} role={role ?? rolesByKind[kind]} {...labelling}>
      {children}
    </Tag>
  );
}
