// Issue 9 on the local server (npm test) at a smaller size; full size on the real tier in
// tests/real/patient-enrollment-concurrency.test.ts. The scenario is in tests/real/enrollment-races.ts.
import { describeEnrollmentRaces } from '../../real/enrollment-races';

describeEnrollmentRaces({ pairs: 10, triples: 10, mixed: 6, sameConnection: 4 });
