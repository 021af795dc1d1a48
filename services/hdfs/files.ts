/** HDFS: core-site.xml and hdfs-site.xml (every node with the Hadoop release), the NameNode and DataNode units. */
import { CONF_DIRS, OPT, Plan, ServicePlan } from "../../lib/model";
import { HADOOP_JAVA17_OPENS, xmx } from "../../config-templates/java";
import { Entries, withOverrides, xmlConfiguration } from "../../config-templates/writers";
import { HEADER, RenderedFile, Secrets, logDirOf, service, unitFile } from "../../config-templates/common";

export function coreSiteEntries(plan: Plan): Entries {
  const entries: Entries = [["fs.defaultFS", plan.endpoints.defaultFS]];
  return withOverrides(entries, plan.config.hdfs.overrides["core-site.xml"]);
}
export const coreSite = (plan: Plan): string => xmlConfiguration(coreSiteEntries(plan), HEADER);

export function hdfsSiteEntries(plan: Plan): Entries {
  const c = plan.config;
  const h = c.hdfs;
  const nn = service(plan, "namenode");
  const entries: Entries = [
    ["dfs.replication", h.replication],
    ["dfs.namenode.name.dir", h.nameDirs.map((d) => `file://${d}`).join(",")],
    ["dfs.datanode.data.dir", h.dataDirs.map((d) => `file://${d}`).join(",")],
    ["dfs.namenode.rpc-address", `${nn.host}:${h.nameNodeRpcPort}`],
    ["dfs.namenode.http-address", `${nn.host}:${h.nameNodeHttpPort}`],
    ["dfs.namenode.rpc-bind-host", "0.0.0.0"],
    ["dfs.namenode.servicerpc-bind-host", "0.0.0.0"],
    ["dfs.namenode.http-bind-host", "0.0.0.0"],
    ["dfs.datanode.address", `0.0.0.0:${h.dataNodePort}`],
    ["dfs.datanode.http.address", `0.0.0.0:${h.dataNodeHttpPort}`],
    ["dfs.datanode.ipc.address", `0.0.0.0:${h.dataNodeIpcPort}`],
    // Membership: written by hdfs-membership.sh, re-read on `hdfs dfsadmin -refreshNodes` (no restart).
    ["dfs.hosts", `${CONF_DIRS.hadoop}/dfs.hosts`],
    ["dfs.hosts.exclude", `${CONF_DIRS.hadoop}/dfs.hosts.exclude`],
    // Superusers: the HDFS user (it runs the NameNode) and hdfs.adminGroup, which holds only that user. Not the
    // service group: every engine's user is in it, and the engines reach /lakehouse through its owner alone.
    ["dfs.permissions.superusergroup", h.adminGroup],
    // Lab and bare-metal hosts often lack reverse DNS; registration must not depend on it.
    ["dfs.namenode.datanode.registration.ip-hostname-check", false],
    ["dfs.client.use.datanode.hostname", false],
  ];
  return withOverrides(entries, h.overrides["hdfs-site.xml"]);
}
export const hdfsSite = (plan: Plan): string => xmlConfiguration(hdfsSiteEntries(plan), HEADER);

/** The DataNodes allowed to register (`dfs.hosts`), by their configured address. */
export function dataNodeHosts(plan: Plan): string[] {
  return plan.services.filter((x) => x.kind === "datanode").map((x) => x.host);
}

/**
 * Environment every Hadoop-launched JVM here gets (HDFS daemons, the metastore through `hadoop jar`).
 * HADOOP_OPTS replaces Hadoop's own default (-Djava.net.preferIPv4Stack=true), so it is kept first.
 */
export function hadoopEnv(s: ServicePlan): Record<string, string> {
  return {
    JAVA_HOME: s.jdk!.home,
    HADOOP_HOME: OPT("hadoop"),
    HADOOP_CONF_DIR: CONF_DIRS.hadoop,
    HADOOP_LOG_DIR: logDirOf(s.user),
    HADOOP_OPTS: ["-Djava.net.preferIPv4Stack=true", ...HADOOP_JAVA17_OPENS].join(" "),
  };
}

/** The own files of a NameNode or DataNode instance: its unit and what only it reads. */
export function hdfsServiceFiles(plan: Plan, s: ServicePlan, _secrets: Secrets): RenderedFile[] {
  const c = plan.config;
  switch (s.kind) {
    case "namenode":
      return [
        // Membership (dfs.hosts, dfs.hosts.exclude) is not a file here: the NameNode component's membership
        // step writes it, decommissioning a removed DataNode before it drops it (hdfs-membership.sh).
        unitFile(c, s, {
          description: "HDFS NameNode (lakehouse-iac)",
          exec: [`${OPT("hadoop")}/bin/hdfs`, "namenode"],
          environment: { ...hadoopEnv(s), HDFS_NAMENODE_OPTS: xmx(c.hdfs.nameNodeHeap) },
        }),
      ];
    case "datanode":
      return [
        unitFile(c, s, {
          description: "HDFS DataNode (lakehouse-iac)",
          exec: [`${OPT("hadoop")}/bin/hdfs`, "datanode"],
          environment: { ...hadoopEnv(s), HDFS_DATANODE_OPTS: xmx(c.hdfs.dataNodeHeap) },
        }),
      ];
    default:
      throw new Error(`internal: hdfsServiceFiles got ${s.kind}`);
  }
}
