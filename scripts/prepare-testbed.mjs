// Makes the integration-test prerequisites ready ahead of `npm test` (used by .ci/run, handy after
// changing scripts/build-test-image.sh): Docker engine answering, test-host image built, SSH key.
// Same code path as startHosts() uses; vite loads the TypeScript module without a build step.
import { runnerImport } from "vite";

const { module } = await runnerImport(new URL("../test/support/hosts.ts", import.meta.url).pathname, {
  configFile: false,
  logLevel: "warn",
});
const { image, privateKeyPath } = await module.prepareTestBed();
console.log(`test bed ready: image ${image}, key ${privateKeyPath}`);
