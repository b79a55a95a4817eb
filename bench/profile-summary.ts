// Where a profiled kplay run spent its time:  npx tsx bench/profile-summary.ts FILE.cpuprofile [COUNT]
// (record one with `node --cpu-prof --cpu-prof-dir=DIR bin/kplay.js -i INV PLAYBOOK`).
import { formatProfileSummary, summarizeCpuProfile } from "./cpu-profile.js";

const [file, count] = process.argv.slice(2);
if (!file) throw new Error("usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [COUNT]");
process.stdout.write(formatProfileSummary(await summarizeCpuProfile(file, count ? Number(count) : undefined)));
