/**
 * Access changes across the project since a time. Medplum 5.0.10 has no type-level history
 * (`Patient/_history` is 404), so: one `_lastUpdated` search per type (patients, memberships),
 * then each record found has its own history read and its versions since then diffed. Requests:
 * 2 searches + 1 history read per record changed (docs/history.md has the count for 50,000 patients).
 */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, Patient, ProjectMembership } from '@medplum/fhirtypes';
import type { RecentChanges, TimelineEntry } from '../../preload/api/schemas/history';
import { fresh } from '../engines/engine-context';
import { toAppError } from '../engines/server-errors';
import { readVersions } from './instance-history';
import { createNameResolver } from './names';
import { nameLine } from './timeline';
import { diffMembership, diffPatient } from './version-diff';

export async function recentChanges(client: MedplumClient, projectId: string, request: { since: string; count: number }): Promise<RecentChanges> {
  const names = createNameResolver(client);
  let requests = 0;
  let complete = true;
  const lines: Parameters<typeof nameLine>[1][] = [];
  for (const type of ['Patient', 'ProjectMembership'] as const) {
    let bundle: Bundle<Patient | ProjectMembership>;
    try {
      requests++;
      bundle = (await client.search(type, { _lastUpdated: `ge${request.since}`, _sort: '-_lastUpdated', _count: String(request.count) }, fresh())) as Bundle<Patient | ProjectMembership>;
    } catch (err) {
      throw toAppError(err, 'find the records changed recently');
    }
    const hits = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    if (hits.length >= request.count) complete = false;
    for (const hit of hits) {
      if (hit.resourceType === 'ProjectMembership' && (hit.project?.reference !== `Project/${projectId}` || !hit.profile?.reference?.startsWith('Practitioner/'))) continue;
      requests++;
      const versions = await readVersions<Patient | ProjectMembership>(client, type, hit.id as string);
      versions.forEach((version, index) => {
        if (version.time < request.since) return;
        const previous = versions[index + 1]?.resource;
        const changes =
          type === 'Patient'
            ? version.resource
              ? diffPatient(previous as Patient | undefined, version.resource as Patient)
              : []
            : diffMembership(previous as ProjectMembership | undefined, version.resource as ProjectMembership | undefined);
        if (!changes.length) return;
        const subject = type === 'Patient' ? `Patient/${hit.id}` : ((hit as ProjectMembership).profile?.reference as string);
        lines.push({ version, resource: `${type}/${hit.id}`, subject, changes, undoable: !!previous && !!version.resource && changes.some((c) => c.field === 'clinics' || c.field === 'consent' || c.field === 'assigned-clinicians') });
      });
    }
  }
  lines.sort((a, b) => b.version.time.localeCompare(a.version.time));
  const entries: TimelineEntry[] = [];
  for (const line of lines.slice(0, request.count)) entries.push(await nameLine(names, line));
  return { entries, complete: complete && lines.length <= request.count, requests: requests + names.requests };
}
