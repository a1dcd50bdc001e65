import { formatMoment as momentInUtc } from '../platform/http/moment.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { programStateLabels } from './program-vocabulary.ts';
import type { IssuingOffice } from './programs.tables.ts';

/** A moment as people read it on staff pages: '2026-03-04 14:05 UTC'. */
export function formatMoment(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  return momentInUtc(date);
}

export const formatBytes = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} bytes`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(0)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const statusLabel = (status: ProgramState): string => programStateLabels[status];

export const issuingOfficeLabels: Readonly<Record<IssuingOffice, string>> = {
  registrar: 'Registrar',
  credentials_office: 'Credentials office',
};

/** Plain words for the audit actions shown in a program's history. */
export const historyLabels: Readonly<Record<string, string>> = {
  'program.drafted': 'Proposal drafted',
  'program.edited': 'Proposal edited',
  'program.version_created': 'New version saved',
  'program.signer_added': 'Signer named',
  'program.signer_removed': 'Signer removed',
  'program.note_added': 'Consultation note added',
  'program.request_signatures': 'Signatures requested',
  'program.signed': 'Signed',
  'program.signature_declined': 'Declined to sign',
  'program.submit': 'Submitted to the credentials office',
  'program.request_changes': 'Changes requested',
  'program.revise': 'Reopened for revision',
  'program.approve_pilot': 'Approved for pilot',
  'program.submit_full_proposal': 'Full proposal submitted',
  'program.approve_step': 'Review step approved',
  'program.reject': 'Full proposal returned to pilot',
  'program.retire': 'Retired',
  'program.review_saved': 'Pilot review saved',
  'program.review_submitted': 'Pilot review submitted',
  'program.reminder_sent': 'Reminder sent',
  'program.wording_published': 'Wording fix published',
  'program.modification_drafted': 'Change proposed',
  'program.modification_edited': 'Proposed change edited',
  'program.modification_submit': 'Proposed change submitted for approval',
  'program.modification_approve_step': 'Proposed change approved at a step',
  'program.modification_return': 'Proposed change returned',
  'program.modification_withdraw': 'Proposed change withdrawn',
  'program.reinstate': 'Reinstated',
};
