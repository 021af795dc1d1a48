/** HDFS's host scripts (services/hdfs/scripts/*.sh) and their parameters (lib/host-scripts.ts assembles them). */
import * as path from "path";
import type { ScriptPartSet, ScriptSet } from "../../lib/script-def";

export const HDFS_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    "hdfs-format.sh": {
      params: ["hadoop_home", "conf_dir", "java_home", "user", "group", "cluster_id"],
      rest: { name: "name_dirs", min: 1 },
    },
    "hdfs-membership.sh": {
      params: ["hadoop_home", "conf_dir", "java_home", "user", "unit", "timeout", "keytab"],
      rest: { name: "hosts", min: 0 },
    },
    // The membership probe of a DataNode: its command is the check; "secure", the optional arguments of a secured
    // cluster (the script documents them all).
    "hdfs-probe.sh": {
      params: [],
      commandVar: "check",
      commands: {
        datanode: {
          params: ["since", "namenode_url", "datanode_url", "xfer", "namenode_port"],
          rest: { name: "secure", min: 0 },
          passThrough: true,
        },
      },
    },
    "hdfs-warehouse.sh": {
      params: ["namenode_url", "hdfs_user", "owner", "group", "timeout", "hadoop_home", "conf_dir", "java_home", "keytab", "ca"],
      rest: { name: "dirs", min: 1 },
    },
  },
} as const satisfies ScriptSet;

/** HDFS's parts of generic host scripts (services/hdfs/scripts/parts/): its smoke test clean-up. */
export const HDFS_SCRIPT_PARTS = {
  dir: path.join(__dirname, "scripts", "parts"),
  parts: { "smoke-test.sh": { params: ["hadoop_home", "hadoop_conf", "hdfs_java_home", "owner", "hdfs_login"] } },
} as const satisfies ScriptPartSet;
