/**
 * lakehouse-iac: load and validate the stack's config (nothing is registered when it is wrong), build the
 * Lakehouse, and export what users connect to (components/stages/outputs.ts): each service's outputs (its
 * descriptor's `outputs`), the cluster's (smokeTest, caCertificate, security, nodes) and the secret outputs the
 * secrets' declarations name (lib/config/secrets.ts, services/<name>/config.ts), each a Pulumi secret.
 *
 * `export =`: Pulumi reads this module's exports (module.exports) as the stack's outputs, whose names the
 * services' declarations give.
 */
import { Lakehouse } from "./components/lakehouse";
import { loadStackConfig } from "./components/stack-config";
import { stackOutputs } from "./components/stages/outputs";

const { config, secrets } = loadStackConfig();
export = stackOutputs(new Lakehouse("lakehouse", { config, secrets }));
