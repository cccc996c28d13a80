/**
 * How long an import takes at the server's quota (design.md: a membership may spend 50,000
 * points a minute by default; a write costs 100, a search 20, a read 1; batch entries are charged
 * one by one). Shown before the import starts, with the note that a server administrator can
 * raise the project's `userFhirQuota`.
 */
import type { Project } from '@medplum/fhirtypes';
import { RECORD_TYPES } from '../../engines/compartment-sync';
import type { EngineContext } from '../../engines/engine-context';
import type { QuotaEstimate } from './import-plan';

export const MEDPLUM_DEFAULT_USER_QUOTA = 50_000;
export const POINTS = { write: 100, search: 20, read: 1 } as const;

/** What one planned change costs at least. */
export const COST = {
  createPatient: POINTS.write,
  /** Read, the If-Match write, one check of each record type (records to correct come on top). */
  changePatient: POINTS.read + POINTS.write + POINTS.search * RECORD_TYPES.length,
  /** Practitioner, invitation (membership), and the membership's If-Match write. */
  createClinician: POINTS.write * 3,
  /** The memberships' search and one If-Match write. */
  changeClinician: POINTS.search + POINTS.write,
  createClinic: POINTS.search + POINTS.write,
} as const;

/** The project's own quota when the signed-in administrator may read it, else Medplum's default. */
export async function projectQuota(ctx: EngineContext): Promise<Pick<QuotaEstimate, 'pointsPerMinute' | 'quotaSource'>> {
  try {
    const project = await ctx.client.readResource('Project', ctx.projectId);
    const setting = (project as Project).systemSetting?.find((entry) => entry.name === 'userFhirQuota');
    const value = setting?.valueInteger ?? setting?.valueDecimal;
    if (typeof value === 'number' && value > 0) return { pointsPerMinute: value, quotaSource: 'project-setting' };
  } catch {
    // Not readable by this administrator: the default is what applies unless a super admin changed it.
  }
  return { pointsPerMinute: MEDPLUM_DEFAULT_USER_QUOTA, quotaSource: 'medplum-default' };
}

export function estimateOf(points: number, quota: Pick<QuotaEstimate, 'pointsPerMinute' | 'quotaSource'>): QuotaEstimate {
  return { ...quota, points, minutes: points / quota.pointsPerMinute };
}
