/**
 * The services' parts of the smoke test (services/<name>/smoke.ts), as components/smoke-test.ts reads them: one
 * line each. Each part's fragment and parameters are registered in services/scripts.ts, which gives the order;
 * a part registered there without its hook here leaves its parameters without values (it does not compile).
 */
import { flinkSmoke } from "./flink/smoke";
import { hdfsSmoke } from "./hdfs/smoke";
import { kerberosSmoke } from "./kerberos/smoke";
import { sparkSmoke } from "./spark/smoke";
import { trinoSmoke } from "./trino/smoke";

export const SMOKE_PARTS = [trinoSmoke, sparkSmoke, flinkSmoke, hdfsSmoke, kerberosSmoke] as const;
