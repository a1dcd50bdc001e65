/**
 * Where a course completion came from, in words. The import file's `source` column is free text the student
 * system fills (up to 40 characters), and a row without one is recorded as `sis`; that code is ours, so pages say
 * what it means, while a source the university's own system named is shown as it named it.
 */
const knownSources: Readonly<Record<string, string>> = {
  sis: 'Student information system',
};

export function completionSourceLabel(source: string): string {
  return knownSources[source.trim().toLowerCase()] ?? source;
}
