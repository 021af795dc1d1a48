/** HDFS's config section (`lakehouse:hdfs`), its roles, the files its overrides may name and its Java range. */
import { z } from "zod";
import { absPath, heap, overridesFor, port, stringish, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/primitives";
import { defineSection, OWNED } from "../section";

export const HDFS_FILES = ["core-site.xml", "hdfs-site.xml"] as const;

const HDFS_OWNED: Partial<Record<(typeof HDFS_FILES)[number], Record<string, string>>> = {
  "core-site.xml": { "fs.defaultFS": OWNED.defaultFS },
  "hdfs-site.xml": {
    "fs.defaultFS": OWNED.defaultFS,
    "dfs.namenode.name.dir": "use hdfs.nameDirs",
    "dfs.datanode.data.dir": "use hdfs.dataDirs",
    "dfs.namenode.rpc-address": "use hdfs.nameNodeRpcPort",
    "dfs.namenode.http-address": "use hdfs.nameNodeHttpPort",
    "dfs.datanode.address": "use hdfs.dataNodePort",
    "dfs.datanode.http.address": "use hdfs.dataNodeHttpPort",
    "dfs.datanode.ipc.address": "use hdfs.dataNodeIpcPort",
    "dfs.hosts": "the membership step writes it from the nodes with role datanode",
    "dfs.hosts.exclude": "the membership step writes it from the nodes with role datanode",
    "dfs.permissions.superusergroup": "use hdfs.adminGroup (a group of its own: every member is an HDFS superuser)",
  },
};

export const hdfsSchema = z
  .strictObject({
    nameNodeRpcPort: port.default(8020),
    nameNodeHttpPort: port.default(9870),
    dataNodePort: port.default(9866),
    dataNodeHttpPort: port.default(9864),
    dataNodeIpcPort: port.default(9867),
    replication: z.number().int().min(1).max(16).default(3),
    nameDirs: z.array(absPath).min(1).default(["/var/lib/hadoop-hdfs/name"]),
    dataDirs: z.array(absPath).min(1).default(["/var/lib/hadoop-hdfs/data"]),
    /** Cluster ID given to `hdfs namenode -format`; defaults to `lakehouse-<environment>`. */
    clusterId: stringish(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).optional(),
    nameNodeHeap: heap.default("1g"),
    dataNodeHeap: heap.default("1g"),
    user: userName.default("hdfs"),
    /**
     * The HDFS superuser group (`dfs.permissions.superusergroup`): every member may do anything on HDFS. Only
     * the HDFS user is put in it; add an operator's account to make them an HDFS admin. It must not be
     * `serviceGroup`, which every engine's user is in.
     */
    adminGroup: userName.default("hdfsadmin"),
    java: javaKey.default("17"),
    /** How long removing a DataNode may wait for its decommissioning (its blocks re-replicated elsewhere). */
    decommissionTimeoutMinutes: z.number().int().min(1).max(1440).default(120),
    overrides: overridesFor(HDFS_FILES, HDFS_OWNED),
  })
  .prefault({});

export const hdfsSection = defineSection({
  key: "hdfs",
  label: "HDFS",
  roles: [
    { name: "namenode", kind: "namenode", singleton: true, required: true },
    { name: "datanode", kind: "datanode", singleton: false, required: true },
  ],
  schema: hdfsSchema,
  files: HDFS_FILES,
  secrets: {},
  switchable: false,
  java: {
    artifact: "hadoop",
    rules: [
      { from: "3.3.0", to: "3.5.0", range: { min: 8, max: 17, why: "Hadoop 3.3/3.4 run on Java 8-17 (17 with add-opens)" } },
      { from: "3.5.0", range: { min: 17, why: "Hadoop 3.5 is built for and requires Java 17" } },
    ],
  },
});
