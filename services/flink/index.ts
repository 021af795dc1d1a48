/**
 * Flink: a session cluster (a JobManager and TaskManagers) with Iceberg and, optionally, the Hive connector; its
 * Hive catalog reads a client-only hive-site.xml (no database password).
 */
import * as path from "path";
import { CA_FILE, TLS_DIRS, jdk } from "../../lib/model";
import { file, secretFile, service } from "../../config-templates/common";
import type { ServiceDescriptor } from "../descriptor";
import { FLINK_OUTPUTS, flinkSecurity } from "./outputs";
import { groupOf, groupProblems, groupSetting, groupValues } from "../groups";
import { HEALTH_TIMEOUT } from "../health";
import { hiveClientSite } from "../metastore/client";
import {
  FLINK_JOB_MANAGER_MIN,
  FLINK_JOB_MANAGER_MIN_WHY,
  FLINK_TASK_MANAGER_MIN,
  FLINK_TASK_MANAGER_MIN_WHY,
  flinkSection,
  FLINK_CONF,
} from "./config";
import { belowMinimum } from "../../lib/config/primitives";
import { FLINK_HIVE_CONF, FLINK_KEYSTORE, flinkConfig, flinkProcess, kerberizedFlinkNode, flinkServiceFiles } from "./files";
import { instancePorts } from "../../config-templates/process";
import { FLINK_TYPES } from "./policy";

export const flink: ServiceDescriptor<"flink"> = {
  section: flinkSection,
  enabled: (c) => c.flink.enabled,
  user: (c) => c.flink.user,
  java: (c) => c.flink.java,
  ports: (c, role) =>
    role === "flink-jobmanager"
      ? [
          { port: c.flink.rpcPort, what: "Flink JobManager RPC", key: "flink.rpcPort" },
          { port: c.flink.restPort, what: "Flink REST/web UI", key: "flink.restPort" },
        ]
      : [],
  rules({ c, nodes }) {
    const f = c.flink;
    return [
      ...groupProblems("flink.taskManagerGroups", f.taskManagerGroups, "flink-taskmanager", nodes),
      // Process sizes below what Flink's own memory model needs to start (flink/config.ts).
      belowMinimum("flink.jobManagerMemory", f.jobManagerMemory, FLINK_JOB_MANAGER_MIN, FLINK_JOB_MANAGER_MIN_WHY),
      belowMinimum("flink.taskManagerMemory", f.taskManagerMemory, FLINK_TASK_MANAGER_MIN, FLINK_TASK_MANAGER_MIN_WHY),
      ...groupValues("flink", "taskManagerGroups", f.taskManagerGroups, "taskManagerMemory").map(([key, mem]) =>
        belowMinimum(key, mem, FLINK_TASK_MANAGER_MIN, FLINK_TASK_MANAGER_MIN_WHY),
      ),
    ].filter((p): p is string => p !== undefined);
  },

  instances(ctx, n) {
    const c = ctx.c;
    const out: ReturnType<ServiceDescriptor["instances"]> = [];
    if (n.roles.includes("flink-jobmanager"))
      out.push({
        kind: "flink-jobmanager",
        unit: "flink-jobmanager",
        user: c.flink.user,
        artifact: "flink",
        jdk: jdk(c, c.flink.java),
        // With Kerberos over HTTPS, as a client with the node's certificate (the endpoint wants one).
        health: c.kerberos.enabled
          ? {
              kind: "http",
              url: `https://${n.host}:${c.flink.restPort}/overview`,
              expect: '"taskmanagers"',
              ca: CA_FILE,
              clientCert: `${TLS_DIRS.node}/node.crt:${TLS_DIRS.node}/node.key`,
              timeoutSec: HEALTH_TIMEOUT.jvm,
            }
          : {
              kind: "http",
              url: `http://${n.host}:${c.flink.restPort}/overview`,
              expect: '"taskmanagers"',
              timeoutSec: HEALTH_TIMEOUT.jvm,
            },
        after: [],
      });
    if (n.roles.includes("flink-taskmanager"))
      out.push({
        kind: "flink-taskmanager",
        unit: "flink-taskmanager",
        user: c.flink.user,
        artifact: "flink",
        jdk: jdk(c, c.flink.java),
        // Healthy when the JobManager lists a TaskManager of exactly this address (not 10.0.0.12 for 10.0.0.1)
        // that heartbeated since the unit started.
        health: {
          kind: "probe",
          check: "flink-taskmanager",
          args: c.kerberos.enabled
            ? [
                `https://${ctx.holder("flink-jobmanager")!.host}:${c.flink.restPort}/taskmanagers`,
                n.host,
                CA_FILE,
                `${TLS_DIRS.node}/node.crt`,
                `${TLS_DIRS.node}/node.key`,
              ]
            : [`http://${ctx.holder("flink-jobmanager")!.host}:${c.flink.restPort}/taskmanagers`, n.host],
          timeoutSec: HEALTH_TIMEOUT.jvmWorker,
        },
        after: [], // starts without waiting for its head; its health check proves it registered
        rollingGroup: "flink-taskmanager",
        rollingHead: ctx.idOf("flink-jobmanager"),
      });
    return out;
  },
  releases: { flink: { confDir: FLINK_CONF, confSubdir: "conf" } },
  managedDirs: () => [
    { path: path.posix.dirname(FLINK_KEYSTORE), what: "Flink's keystores" },
    { path: FLINK_HIVE_CONF, what: "Flink's Hive client configuration" },
  ],
  jars: (c) => [
    ...(c.flink.hiveConnector ? [{ jar: "flinkHive" as const, into: "flink" as const, dir: "lib" }] : []),
    { jar: "icebergFlink", into: "flink", dir: "lib" },
  ],
  endpoints: (ctx) => ({
    flinkUi: `${ctx.c.kerberos.enabled ? "https" : "http"}://${ctx.holder("flink-jobmanager")!.host}:${ctx.c.flink.restPort}`,
  }),

  nodeFiles(plan, node, secrets) {
    if (!node.artifacts.includes("flink")) return {};
    const c = plan.config;
    const conf = `${FLINK_CONF}/config.yaml`;
    return {
      flink: [
        // With the REST endpoint's TLS it holds the keystore's password: the flink user's alone.
        kerberizedFlinkNode(plan, node)
          ? secretFile(c, { user: c.flink.user }, conf, flinkConfig(plan, node, secrets))
          : file(c, conf, flinkConfig(plan, node, secrets)),
        file(c, `${FLINK_HIVE_CONF}/hive-site.xml`, hiveClientSite(plan)),
      ],
    };
  },
  serviceFiles: flinkServiceFiles,
  process: (plan, s) => ({ ...flinkProcess(plan, s), ports: instancePorts(flink, plan, s) }),

  principals: () => ["flink"],
  // Flink's process sizes (the whole JVM: heap, managed, network, metaspace, overhead).
  needs(c, s) {
    if (s.kind === "flink-jobmanager") return [{ key: "flink.jobManagerMemory", memory: c.flink.jobManagerMemory }];
    const m = groupSetting("flink", "taskManagerGroups", c.flink.taskManagerGroups, s.node, "taskManagerMemory", c.flink.taskManagerMemory);
    return [{ key: m.key, memory: m.value }];
  },
  outputs: FLINK_OUTPUTS,
  security: flinkSecurity,
  types: FLINK_TYPES,
  componentType: (s) => (s.kind === "flink-jobmanager" ? FLINK_TYPES.JobManager : FLINK_TYPES.TaskManager),
  diagram: {
    label: (plan, s) =>
      s.kind === "flink-jobmanager"
        ? `Flink JobManager<br/>RPC ${plan.config.flink.rpcPort} / REST ${plan.config.flink.restPort}`
        : `Flink TaskManager<br/>${groupOf(plan.config.flink.taskManagerGroups, s.node)?.group.taskSlots ?? plan.config.flink.taskSlots} slots`,
    cls: "engine",
    edges: (plan, s) =>
      s.kind === "flink-jobmanager"
        ? [
            { to: service(plan, "metastore"), label: "Thrift" },
            { to: service(plan, "namenode"), label: "HDFS" },
          ]
        : [{ to: service(plan, "flink-jobmanager"), label: "registers", dashed: true }],
  },
};
