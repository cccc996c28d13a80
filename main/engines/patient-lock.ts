/**
 * One change at a time per patient, per connection: this console's own changes to one patient's
 * accounts queue behind each other instead of racing on the server (where they would only cost
 * retries). Other administrators and processes are not covered: the If-Match write in
 * patient-accounts-write.ts is what keeps their changes; this lock only avoids pointless conflicts.
 */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Runs `work` once every earlier call for the same `owner` (the connection's MedplumClient) and
 * `patientId` has settled, failed ones included. Calls for other patients or owners run freely.
 */
export function withPatientLock<T>(owner: object, patientId: string, work: () => Promise<T>): Promise<T> {
  let byPatient = queues.get(owner);
  if (!byPatient) {
    byPatient = new Map();
    queues.set(owner, byPatient);
  }
  const queue = byPatient;
  const previous = queue.get(patientId) ?? Promise.resolve();
  const result = previous.then(work);
  const tail = result.then(
    () => undefined,
    () => undefined
  );
  queue.set(patientId, tail);
  // Forget the patient once nothing is queued behind this call, so the map does not grow.
  void tail.then(() => {
    if (queue.get(patientId) === tail) {
      queue.delete(patientId);
    }
  });
  return result;
}

/** How many patients have changes queued or running for `owner` (for tests). */
export function lockedPatientCount(owner: object): number {
  return queues.get(owner)?.size ?? 0;
}
