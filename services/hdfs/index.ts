/**
 * HDFS: one NameNode, DataNodes, and the Hadoop client (core-site.xml, hdfs-site.xml) on every node that runs a
 * JVM service. The NameNode's own component (services/hdfs/deploy.ts) formats it once and keeps the
 * DataNodes' membership; the warehouse directories are made on it before the metastore starts.
 */
import * as path from "path";
import { CA_FILE, jdk } from "../../lib/model";
import type { ClusterConfig } from "../../lib/config";

/** The web endpoints' scheme: HTTPS only with Kerberos (HDFS requires it with SASL data transfer). */
const web = (c: Pick<ClusterConfig, "kerberos">): "http" | "https" => (c.kerberos.enabled ? "https" : "http");
/**
 * The host part of a web URL: with Kerberos the node's name (SPNEGO asks for HTTP/<the URL's host>, and the
 * nodes know each other's names from /etc/hosts; the certificates carry both), else its address.
 */
const webHost = (c: Pick<ClusterConfig, "kerberos">, n: { name: string; host: string }): string => (c.kerberos.enabled ? n.name : n.host);
/** The health checks' SPNEGO login: the daemon's own principal from the HDFS user's keytab on its node. */
const healthLogin = (c: Pick<ClusterConfig, "kerberos" | "hdfs">, primary: "nn" | "dn", node: string): string =>
  `${keytabPath(c.kerberos, c.hdfs.user)}:${principalOf(c.kerberos, primary, node)}`;
import { file, service } from "../../config-templates/common";
import type { ServiceDescriptor } from "../descriptor";
import { HDFS_OUTPUTS, hdfsSecurity } from "./outputs";
import { HEALTH_TIMEOUT } from "../health";
import { hdfsSection } from "./config";
import { HADOOP_CONF } from "./client";
import { belowMinimum, JVM_MIN_HEAP } from "../../lib/config/primitives";
import { keytabPath, principalOf } from "../kerberos/client";
import { coreSite, HDFS_KEYSTORE, hdfsProcess, hdfsServiceFiles, hdfsSite, sslServerFile } from "./files";
import { instancePorts } from "../../config-templates/process";
import { HDFS_TYPES } from "./policy";

export const hdfs: ServiceDescriptor<"hdfs"> = {
  section: hdfsSection,
  enabled: () => true,
  user: (c) => c.hdfs.user,
  java: (c) => c.hdfs.java,
  superusers: (c) => ({ group: c.hdfs.adminGroup, user: c.hdfs.user }),
  ports(c, role) {
    if (role === "namenode")
      return [
        { port: c.hdfs.nameNodeRpcPort, what: "NameNode RPC", key: "hdfs.nameNodeRpcPort" },
        { port: c.hdfs.nameNodeHttpPort, what: "NameNode web UI", key: "hdfs.nameNodeHttpPort" },
      ];
    if (role === "datanode")
      return [
        { port: c.hdfs.dataNodePort, what: "DataNode data transfer", key: "hdfs.dataNodePort" },
        { port: c.hdfs.dataNodeHttpPort, what: "DataNode web UI", key: "hdfs.dataNodeHttpPort" },
        { port: c.hdfs.dataNodeIpcPort, what: "DataNode IPC", key: "hdfs.dataNodeIpcPort" },
      ];
    return [];
  },
  dirs: (c) => [
    ...c.hdfs.nameDirs.map((d, j) => ({
      key: `hdfs.nameDirs[${j}]`,
      path: d,
      roles: ["namenode" as const],
      owner: c.hdfs.user,
      mode: "0700",
    })),
    ...c.hdfs.dataDirs.map((d, j) => ({
      key: `hdfs.dataDirs[${j}]`,
      path: d,
      roles: ["datanode" as const],
      owner: c.hdfs.user,
      mode: "0700",
    })),
  ],
  rules({ c, has, nodes }) {
    const problems: string[] = [];
    const dataNodes = nodes.filter((n) => n.roles?.includes("datanode")).length;
    const more = (what: string) =>
      `${what} is more than the ${dataNodes} DataNode${dataNodes === 1 ? "" : "s"} (nodes with role "datanode")`;
    if (dataNodes > 0 && c.hdfs.replication > dataNodes) problems.push(`hdfs.replication: ${more(String(c.hdfs.replication))}`);
    // dfs.replication may be overridden (hdfs-site.xml), but the override gets the same checks as hdfs.replication.
    const replOverride = c.hdfs.overrides["hdfs-site.xml"]?.["dfs.replication"];
    if (replOverride !== undefined) {
      const r = Number(replOverride);
      const key = "hdfs.overrides.hdfs-site.xml.dfs.replication";
      if (typeof replOverride === "boolean" || !Number.isInteger(r) || r < 1 || r > 16)
        problems.push(`${key}: expected a whole number from 1 to 16 (or set hdfs.replication instead)`);
      else if (dataNodes > 0 && r > dataNodes) problems.push(`${key}: ${more(String(r))}`);
    }
    // HDFS superusers: the admin group alone. Every engine's user is in serviceGroup, and every engine acts on
    // HDFS as warehouse.owner (simple authentication): neither may carry the superuser's rights.
    if (has("serviceGroup") && c.hdfs.adminGroup === c.serviceGroup)
      problems.push(
        `hdfs.adminGroup: "${c.hdfs.adminGroup}" is serviceGroup, which every engine's user is in: every engine would be an HDFS superuser; choose a group of its own (default hdfsadmin)`,
      );
    for (const [key, v] of [
      ["hdfs.nameNodeHeap", c.hdfs.nameNodeHeap],
      ["hdfs.dataNodeHeap", c.hdfs.dataNodeHeap],
    ] as const) {
      const low = belowMinimum(key, v, JVM_MIN_HEAP, "the least heap a JVM service is given here");
      if (low) problems.push(low);
    }
    if (has("warehouse") && c.warehouse.owner === c.hdfs.user)
      problems.push(
        `warehouse.owner: "${c.warehouse.owner}" is hdfs.user, the HDFS superuser; every engine writes as warehouse.owner, so choose another user (default hive)`,
      );
    return problems;
  },

  instances(ctx, n) {
    const c = ctx.c;
    const out: ReturnType<ServiceDescriptor["instances"]> = [];
    if (n.roles.includes("namenode"))
      out.push({
        kind: "namenode",
        unit: "hdfs-namenode",
        user: c.hdfs.user,
        artifact: "hadoop",
        jdk: jdk(c, c.hdfs.java),
        health: {
          kind: "http",
          url: `${web(c)}://${webHost(c, n)}:${c.hdfs.nameNodeHttpPort}/jmx?qry=Hadoop:service=NameNode,name=NameNodeStatus`,
          expect: '"State"\\s*:\\s*"active"',
          timeoutSec: HEALTH_TIMEOUT.jvm,
          ...(c.kerberos.enabled ? { ca: CA_FILE, spnego: healthLogin(c, "nn", n.name) } : {}),
        },
        after: [],
      });
    if (n.roles.includes("datanode")) {
      const nn = ctx.holder("namenode")!;
      out.push({
        kind: "datanode",
        unit: "hdfs-datanode",
        user: c.hdfs.user,
        artifact: "hadoop",
        jdk: jdk(c, c.hdfs.java),
        // Healthy when this process registered with the NameNode (its own BPServiceActorInfo: RUNNING) and the
        // NameNode lists exactly this address as live, with a heartbeat since the unit started.
        health: {
          kind: "probe",
          check: "datanode",
          args: [
            `${web(c)}://${webHost(c, nn)}:${c.hdfs.nameNodeHttpPort}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`,
            `${web(c)}://${webHost(c, n)}:${c.hdfs.dataNodeHttpPort}/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo`,
            `${n.host}:${c.hdfs.dataNodePort}`,
            String(c.hdfs.nameNodeRpcPort),
            ...(c.kerberos.enabled ? [CA_FILE, healthLogin(c, "dn", n.name)] : []),
          ],
          timeoutSec: HEALTH_TIMEOUT.jvm,
        },
        after: [ctx.idOf("namenode")],
        rollingGroup: "hdfs-datanode",
        rollingHead: ctx.idOf("namenode"),
      });
    }
    return out;
  },
  releases: { hadoop: { confDir: HADOOP_CONF, confSubdir: "etc/hadoop" } },
  // Every node that runs a release gets the Hadoop client; its tools run on HDFS's JDK.
  client: { release: "hadoop", java: (c) => c.hdfs.java },
  managedDirs: () => [{ path: path.posix.dirname(HDFS_KEYSTORE), what: "HDFS's keystore" }],
  planFields: (c) => ({ clusterId: c.hdfs.clusterId ?? `lakehouse-${c.environment}`, hadoopConfDir: HADOOP_CONF }),
  endpoints(ctx) {
    const nn = ctx.holder("namenode")!;
    const defaultFS = `hdfs://${nn.host}:${ctx.c.hdfs.nameNodeRpcPort}`;
    const root = ctx.c.warehouse.root;
    return {
      defaultFS,
      nameNodeUi: `${web(ctx.c)}://${webHost(ctx.c, nn)}:${ctx.c.hdfs.nameNodeHttpPort}`,
      warehouse: {
        root: `${defaultFS}${root}`,
        iceberg: `${defaultFS}${root}/iceberg`,
        delta: `${defaultFS}${root}/delta`,
        hive: `${defaultFS}${root}/hive`,
      },
    };
  },

  // The Hadoop client configuration: every JVM on a node with the Hadoop release reads it.
  nodeFiles: (plan, node, secrets) =>
    node.artifacts.includes("hadoop")
      ? {
          hadoop: [
            file(plan.config, `${HADOOP_CONF}/core-site.xml`, coreSite(plan)),
            file(plan.config, `${HADOOP_CONF}/hdfs-site.xml`, hdfsSite(plan)),
            // With Kerberos the HDFS daemons serve HTTPS only: their keystore's password.
            ...(plan.config.kerberos.enabled && node.services.some((s) => s.kind === "namenode" || s.kind === "datanode")
              ? [sslServerFile(plan, secrets)]
              : []),
          ],
        }
      : {},
  serviceFiles: hdfsServiceFiles,
  process: (plan, s) => ({ ...hdfsProcess(plan, s), ports: instancePorts(hdfs, plan, s) }),

  // Each HDFS daemon, and its web UI (SPNEGO uses HTTP/<host>).
  principals: (s) => [s.kind === "namenode" ? "nn" : "dn", "HTTP"],
  needs: (c, s) => [
    s.kind === "namenode"
      ? { key: "hdfs.nameNodeHeap", memory: c.hdfs.nameNodeHeap }
      : { key: "hdfs.dataNodeHeap", memory: c.hdfs.dataNodeHeap },
  ],
  outputs: HDFS_OUTPUTS,
  security: hdfsSecurity,
  types: HDFS_TYPES,
  componentType: (s) => (s.kind === "namenode" ? HDFS_TYPES.NameNode : HDFS_TYPES.DataNode),
  diagram: {
    label: (plan, s) =>
      s.kind === "namenode"
        ? `HDFS NameNode<br/>${plan.config.hdfs.nameNodeRpcPort} / UI ${plan.config.hdfs.nameNodeHttpPort}`
        : `HDFS DataNode<br/>${plan.config.hdfs.dataNodePort}`,
    cls: "hdfs",
    edges: (plan, s) => (s.kind === "datanode" ? [{ to: service(plan, "namenode"), label: "blocks" }] : []),
  },
};
