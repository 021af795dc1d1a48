/** HDFS's host scripts (services/hdfs/scripts/*.sh) and their parameters (lib/host-scripts.ts assembles them). */
import * as path from "path";
import type { ScriptSet } from "../../lib/script-def";

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
    "hdfs-warehouse.sh": {
      params: ["namenode_url", "hdfs_user", "owner", "group", "timeout", "hadoop_home", "conf_dir", "java_home", "keytab", "ca"],
      rest: { name: "dirs", min: 1 },
    },
  },
} as const satisfies ScriptSet;
