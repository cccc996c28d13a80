#!/usr/bin/env node
// The `mso-admin` command: the build of main/cli/mso-admin.ts (npm run build makes it).
import { main } from '../../out/main/mso-admin.js';

main();
