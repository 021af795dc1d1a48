import * as pulumi from "@pulumi/pulumi";
import { FLINK_HIVE_CONF } from "../config-templates";
import { CA_FILE, CONF_DIRS, OPT, Plan, jdk } from "../lib/plan";
import type { NodePlan } from "../lib/model";
import { keytabsOf } from "../services/kerberos/keytabs";
import { HostCall, HostHandle, hostCall, runScript } from "./remote";

/** What `smokeTest` (the stack output) holds. */
export interface SmokeTestResult {
  run: string;
  status: "passed" | "failed";
  /** The first step that failed, null when none did. */
  failedStep: string | null;
  detail: string;
  steps: Array<{ step: string; result: string; seconds?: number }>;
}

/** The node the smoke test runs on: the configured one, else the Spark master's, else the NameNode's. */
export function smokeTestNode(plan: Plan): string {
  const c = plan.config;
  if (c.smokeTest.node) return c.smokeTest.node;
  const head = plan.services.find((s) => s.kind === "spark-master") ?? plan.services.find((s) => s.kind === "namenode")!;
  return head.node;
}

/**
 * With Kerberos, each engine client's keytab on `node` ("-" when none: Kerberos off, or that engine runs nowhere
 * there), and `user:keytab` of the first engine with one, for the HDFS clean-up (its principal maps to the owner).
 */
function smokeTestLogins(plan: Plan, node: NodePlan): { spark: string; flink: string; hdfs: string } {
  const c = plan.config;
  const keytabs = keytabsOf(plan, node);
  const of = (user: string) => keytabs.find((k) => k.user === user)?.path ?? "-";
  const hdfsUser = [c.spark.user, c.flink.user, c.trino.user].find((u) => of(u) !== "-");
  return { spark: of(c.spark.user), flink: of(c.flink.user), hdfs: hdfsUser ? `${hdfsUser}:${of(hdfsUser)}` : "-" };
}

/** The script's arguments: "-" for an engine that is off or not installed on that node. */
export function smokeTestCall(plan: Plan): HostCall {
  const c = plan.config;
  const node = plan.nodes.find((n) => n.name === smokeTestNode(plan))!;
  const logins = smokeTestLogins(plan, node);
  const e = plan.endpoints;
  const spark = c.spark.enabled && node.artifacts.includes("spark");
  const flink = c.flink.enabled && c.flink.hiveConnector && node.artifacts.includes("flink");
  return hostCall("smoke-test.sh", {
    schema: c.smokeTest.schema,
    trino_url: c.trino.enabled ? e.trinoUrl! : "-",
    iceberg_dir: e.warehouse.iceberg,
    delta_dir: e.warehouse.delta,
    iceberg_catalog: c.spark.icebergCatalog,
    spark_home: spark ? OPT("spark") : "-",
    spark_conf: CONF_DIRS.spark,
    spark_java_home: jdk(c, c.spark.java).home,
    spark_user: c.spark.user,
    flink_home: flink ? OPT("flink") : "-",
    flink_conf: CONF_DIRS.flink,
    flink_java_home: jdk(c, c.flink.java).home,
    flink_user: c.flink.user,
    flink_hive_conf: FLINK_HIVE_CONF,
    hadoop_home: OPT("hadoop"),
    hadoop_conf: CONF_DIRS.hadoop,
    hdfs_java_home: jdk(c, c.hdfs.java).home,
    owner: c.warehouse.owner,
    run_id: c.smokeTest.run,
    // With password authentication the test logs in over HTTPS, verifying the coordinator against the CA.
    trino_ca: c.trino.enabled && c.trino.authentication === "password" ? CA_FILE : "-",
    // With Kerberos each engine's client logs in from its user's keytab on this node (the engine's release is
    // here only where one of its services runs, so the keytab exists), the HDFS clean-up as an engine.
    spark_keytab: logins.spark,
    flink_keytab: logins.flink,
    hdfs_login: logins.hdfs,
  });
}

/**
 * The cross-engine smoke test (components/scripts/smoke-test.sh), opt-in per stack (`smokeTest.enabled`):
 * after every service is healthy, Trino writes Iceberg rows that Spark reads, Spark writes a Delta table that
 * Trino reads, Flink's Hive catalog lists the table; everything it made is dropped. It runs once per value of
 * `smokeTest.run`. A failure does not fail the apply: `result` says which step failed and why.
 */
export class SmokeTest extends pulumi.ComponentResource {
  readonly result: pulumi.Output<SmokeTestResult>;
  constructor(
    name: string,
    args: {
      host: HostHandle;
      plan: Plan;
      /** Trino's `user:password` for the test (empty without password authentication); goes on stdin. */
      trinoCredentials: pulumi.Input<string>;
      dependsOn: pulumi.Resource[];
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("lakehouse:index:SmokeTest", name, {}, opts);
    const cmd = runScript(
      `${name}-run`,
      {
        host: args.host,
        ...smokeTestCall(args.plan),
        stdin: pulumi.output(args.trinoCredentials).apply((x) => `${x}\n`),
        secretStdin: true,
        timeoutMinutes: 30,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.result = cmd.stdout.apply((out) => parseSmokeTest(out));
    this.registerOutputs({ result: this.result });
  }
}

/** The script's last JSON line; anything else is a failure that says what came back. */
export function parseSmokeTest(stdout: string): SmokeTestResult {
  const line = (stdout ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .at(-1);
  try {
    if (line) return JSON.parse(line) as SmokeTestResult;
  } catch {
    // fall through
  }
  return { run: "", status: "failed", failedStep: "report", detail: `unreadable output: ${(stdout ?? "").slice(-300)}`, steps: [] };
}
