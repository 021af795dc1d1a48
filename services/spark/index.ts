/**
 * Spark standalone: a master and workers, with Iceberg and Delta Lake on the classpath and the shared metastore
 * as catalog; drivers authenticate with the cluster's secret (`spark.authenticate`).
 */
import { jdk } from "../../lib/model";
import { file, secretFile, service } from "../../config-templates/common";
import type { ServiceDescriptor } from "../descriptor";
import { SPARK_OUTPUTS, sparkSecurity } from "./outputs";
import { groupProblems, groupSetting, groupValues } from "../groups";
import { HEALTH_TIMEOUT } from "../health";
import { SPARK_EXECUTOR_MEMORY_DEFAULT, sparkSection, SPARK_CONF } from "./config";
import { belowMinimum, JVM_MIN_HEAP, parseSize } from "../../lib/config/primitives";
import { sparkDefaults, sparkEnv, sparkProcess, sparkServiceFiles } from "./files";
import { instancePorts } from "../../config-templates/process";
import { SPARK_TYPES } from "./policy";

export const spark: ServiceDescriptor<"spark"> = {
  section: sparkSection,
  enabled: (c) => c.spark.enabled,
  user: (c) => c.spark.user,
  java: (c) => c.spark.java,
  ports(c, role) {
    if (role === "spark-master")
      return [
        { port: c.spark.masterPort, what: "Spark master RPC", key: "spark.masterPort" },
        { port: c.spark.masterUiPort, what: "Spark master web UI", key: "spark.masterUiPort" },
      ];
    if (role === "spark-worker")
      return [
        { port: c.spark.workerPort, what: "Spark worker RPC", key: "spark.workerPort" },
        { port: c.spark.workerUiPort, what: "Spark worker web UI", key: "spark.workerUiPort" },
      ];
    return [];
  },
  dirs: (c) => [{ key: "spark.workDir", path: c.spark.workDir, roles: ["spark-worker"], owner: c.spark.user, mode: "0750" }],
  rules({ c, nodes }) {
    const problems = groupProblems("spark.workerGroups", c.spark.workerGroups, "spark-worker", nodes);
    // A worker offers at least what one executor takes: spark.executor.memory as its drivers see it (an
    // override's, the group's over spark.*'s; Spark reads a bare number as MiB), else Spark's default.
    const executorMemory = (layers: Array<Record<string, string | number | boolean> | undefined>): [number, string] => {
      for (const l of [...layers].reverse()) {
        const v = l?.["spark.executor.memory"];
        const bytes =
          typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v))
            ? Number(v) * 1024 ** 2
            : typeof v === "string"
              ? parseSize(v)
              : NaN;
        if (bytes > 0) return [bytes, `spark.executor.memory as overridden, ${v}`];
      }
      return [SPARK_EXECUTOR_MEMORY_DEFAULT, "spark.executor.memory's default, 1g"];
    };
    const offers = (key: string, value: string, layers: Array<Record<string, string | number | boolean> | undefined>) => {
      const [min, what] = executorMemory(layers);
      return belowMinimum(key, value, min, `one executor takes ${what}; the master places no executor on a worker offering less`);
    };
    const base = c.spark.overrides["spark-defaults.conf"];
    const low = [
      offers("spark.workerMemory", c.spark.workerMemory, [base]),
      ...groupValues("spark", "workerGroups", c.spark.workerGroups, "workerMemory").map(([key, mem, grp]) =>
        offers(key, mem, [base, grp.overrides["spark-defaults.conf"]]),
      ),
      belowMinimum("spark.daemonHeap", c.spark.daemonHeap, JVM_MIN_HEAP, "the master's and the workers' own JVM heap"),
    ];
    return [...problems, ...low.filter((p): p is string => p !== undefined)];
  },

  instances(ctx, n) {
    const c = ctx.c;
    const out: ReturnType<ServiceDescriptor["instances"]> = [];
    if (n.roles.includes("spark-master"))
      out.push({
        kind: "spark-master",
        unit: "spark-master",
        user: c.spark.user,
        artifact: "spark",
        jdk: jdk(c, c.spark.java),
        health: {
          kind: "http",
          url: `http://${n.host}:${c.spark.masterUiPort}/json/`,
          expect: '"status"\\s*:\\s*"ALIVE"',
          timeoutSec: HEALTH_TIMEOUT.jvm,
        },
        after: [],
      });
    if (n.roles.includes("spark-worker"))
      out.push({
        kind: "spark-worker",
        unit: "spark-worker",
        user: c.spark.user,
        artifact: "spark",
        jdk: jdk(c, c.spark.java),
        // Healthy when the master lists an ALIVE registration of exactly this host:port made since the unit
        // started (the previous process's registration stays listed, DEAD or not yet noticed, for a while).
        health: {
          kind: "probe",
          check: "spark-worker",
          args: [`http://${ctx.holder("spark-master")!.host}:${c.spark.masterUiPort}/json/`, n.host, String(c.spark.workerPort)],
          timeoutSec: HEALTH_TIMEOUT.jvmWorker,
        },
        // Starts without waiting for its head; its health check proves it registered. With Kerberos it fetches
        // its node's HDFS token for executors before it starts, so it waits for HDFS.
        after: c.kerberos.enabled ? [ctx.idOf("namenode"), ...ctx.idsOf("datanode")] : [],
        rollingGroup: "spark-worker",
        rollingHead: ctx.idOf("spark-master"),
      });
    return out;
  },
  releases: { spark: { confDir: SPARK_CONF, confSubdir: "conf" } },
  jars: () => [
    { jar: "icebergSpark", into: "spark", dir: "jars" },
    { jar: "deltaSpark", into: "spark", dir: "jars" },
    { jar: "deltaStorage", into: "spark", dir: "jars" },
  ],
  endpoints(ctx) {
    const sm = ctx.holder("spark-master")!;
    return {
      sparkMasterUrl: `spark://${sm.host}:${ctx.c.spark.masterPort}`,
      sparkMasterUi: `http://${sm.host}:${ctx.c.spark.masterUiPort}`,
    };
  },

  // Spark's conf on every node with the release (daemons and drivers read it).
  nodeFiles(plan, node, secrets) {
    if (!node.artifacts.includes("spark")) return {};
    const c = plan.config;
    return {
      spark: [
        // With Spark's authentication it holds the secret: the spark user's alone (its daemons and its clients).
        // Java properties (Spark loads it with java.util.Properties) under a .conf name.
        {
          ...(c.spark.authenticate
            ? secretFile(c, c.spark, `${SPARK_CONF}/spark-defaults.conf`, sparkDefaults(plan, secrets, node))
            : file(c, `${SPARK_CONF}/spark-defaults.conf`, sparkDefaults(plan, secrets, node))),
          format: "properties",
        },
        file(c, `${SPARK_CONF}/spark-env.sh`, sparkEnv(plan, node), { mode: "0755" }),
      ],
    };
  },
  serviceFiles: sparkServiceFiles,
  process: (plan, s) => ({ ...sparkProcess(plan, s), ports: instancePorts(spark, plan, s) }),

  principals: () => ["spark"],
  // A worker's daemon heap, plus the memory and cores it offers its executors (its group's, else spark.*).
  needs(c, s) {
    const daemon = { key: "spark.daemonHeap", memory: c.spark.daemonHeap };
    if (s.kind === "spark-master") return [daemon];
    const memory = groupSetting("spark", "workerGroups", c.spark.workerGroups, s.node, "workerMemory", c.spark.workerMemory);
    const cores = groupSetting("spark", "workerGroups", c.spark.workerGroups, s.node, "workerCores", c.spark.workerCores);
    return [daemon, { key: memory.key, memory: memory.value }, { key: cores.key, cores: cores.value }];
  },
  outputs: SPARK_OUTPUTS,
  security: sparkSecurity,
  types: SPARK_TYPES,
  componentType: (s) => (s.kind === "spark-master" ? SPARK_TYPES.Master : SPARK_TYPES.Worker),
  diagram: {
    label: (plan, s) =>
      s.kind === "spark-master"
        ? `Spark master<br/>${plan.config.spark.masterPort} / UI ${plan.config.spark.masterUiPort}`
        : `Spark worker<br/>UI ${plan.config.spark.workerUiPort}`,
    cls: "engine",
    edges: (plan, s) =>
      s.kind === "spark-master"
        ? [
            { to: service(plan, "metastore"), label: "Thrift" },
            { to: service(plan, "namenode"), label: "HDFS" },
          ]
        : [{ to: service(plan, "spark-master"), label: "registers", dashed: true }],
  },
};
