// Issue 9 at full size on the real tier (npm run test:real): the scenario is in enrollment-races.ts.
import { describeEnrollmentRaces } from './enrollment-races';

describeEnrollmentRaces({ pairs: 50, triples: 50, mixed: 20, sameConnection: 10 });
