/**
 * What validation says about a roster: errors (the row is skipped, or in strict mode nothing is
 * imported) and warnings (the row goes ahead). Each names the physical line and, where it is
 * about one value, the column by name and position; never the value itself.
 */
export type IssueSeverity = 'error' | 'warning';

export interface RosterIssue {
  readonly severity: IssueSeverity;
  /** Physical line of the file (header = 1). */
  readonly line: number;
  /** The column's name as the file's header writes it. */
  readonly column?: string;
  /** 1-based position of that column in the header. */
  readonly columnNumber?: number;
  /** What is wrong and what to do, in plain words. */
  readonly message: string;
  /** For a contradiction: the earlier line it contradicts. */
  readonly earlierLine?: number;
}

/** "Line 4, column 3 (birth_date): is not a real calendar date." */
export function describeIssue(issue: RosterIssue): string {
  const where = issue.column ? `Line ${issue.line}, column ${issue.columnNumber ?? '?'} (${issue.column})` : `Line ${issue.line}`;
  return `${where}: ${issue.message}`;
}
