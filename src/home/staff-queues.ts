/**
 * The offices' work on the staff home: each queue as a count and the page where it is done. The counts come
 * from the modules that own the work (issuing, billing, programs, progress, notifications); this file only
 * words them. Pure.
 */

/** One line of a queue: how many, what they are, and where to act on them. */
export interface QueueLine {
  count: number;
  label: string;
  href: string;
}

export interface StaffQueue {
  id: string;
  title: string;
  lines: QueueLine[];
}

export interface OfficeCounts {
  requestsToDecide: number;
  requestsToIssue: number;
  lists: { waiting: number; failed: number };
  reviews: { overdue: number; dueSoon: number };
  /** Null when the person may not read the outbox. */
  failedMail: number | null;
}

export function officeQueue(counts: OfficeCounts): StaffQueue {
  const lines: QueueLine[] = [
    {
      count: counts.requestsToDecide,
      label: 'Badge requests waiting for a decision',
      href: '/progress/requests',
    },
    { count: counts.requestsToIssue, label: 'Approved requests waiting to be issued', href: '/issuing' },
    {
      count: counts.lists.waiting,
      label: 'Tracking lists waiting to be committed',
      href: '/issuing/tracking-lists',
    },
    { count: counts.lists.failed, label: 'Tracking lists that failed', href: '/issuing/tracking-lists' },
    { count: counts.reviews.overdue, label: 'Reviews and decisions overdue', href: '/programs/overdue' },
    {
      count: counts.reviews.dueSoon,
      label: 'Reviews and decisions due within 30 days',
      href: '/programs/overdue',
    },
  ];
  if (counts.failedMail !== null) {
    lines.push({
      count: counts.failedMail,
      label: 'E-mails that could not be delivered',
      href: '/admin/mail?status=failed',
    });
  }
  return { id: 'office-queues', title: 'Credentials office: waiting for you', lines };
}

export function registrarQueue(pending: { additions: number; withdrawals: number }): StaffQueue {
  return {
    id: 'registrar-exports',
    title: 'Registrar: the next transcript export',
    lines: [
      { count: pending.additions, label: 'Transcript notations to add', href: '/issuing/exports' },
      {
        count: pending.withdrawals,
        label: 'Notations to withdraw (badges revoked)',
        href: '/issuing/exports',
      },
    ],
  };
}

export function bursarQueue(pending: { charges: number; reversals: number; toReview: number }): StaffQueue {
  return {
    id: 'bursar-exports',
    title: 'Bursar: the next fee export',
    lines: [
      { count: pending.charges, label: 'Fee charges not yet exported', href: '/billing' },
      { count: pending.reversals, label: 'Reversals (credits) not yet exported', href: '/billing' },
      { count: pending.toReview, label: 'Charges flagged for review', href: '/billing' },
    ],
  };
}
