import { formatMoment as momentInUtc } from '../platform/http/moment.ts';
import { roleLabels } from '../platform/roles.ts';
import type { ProgramState } from './program-vocabulary.ts';
import { programStateLabels } from './program-vocabulary.ts';
import type { IssuingOffice } from './programs.tables.ts';

/** A moment as people read it on staff pages: 'March 4, 2026, 14:05 UTC' (see platform/http/moment.ts). */
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

/** An issuing office is the role that staffs it, and goes by that role's name. */
export const issuingOfficeLabels: Readonly<Record<IssuingOffice, string>> = {
  registrar: roleLabels.registrar,
  credentials_office: roleLabels.credentials_office,
};
