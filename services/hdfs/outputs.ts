/** What HDFS says in the stack's outputs: its file system, its NameNode's UI and the warehouse, and its lines of `security`. */
import type { Plan } from "../../lib/model";
import type { SecurityLines, StackOutputDecls } from "../descriptor";

export const HDFS_OUTPUTS: StackOutputDecls = {
  nameNodeUi: {
    description: "The NameNode's web UI: HTTPS on its node's name with kerberos.enabled, HTTP on its address without.",
    value: (plan) => plan.endpoints.nameNodeUi,
  },
  defaultFS: {
    description: "The cluster's file system (hdfs://<NameNode>:<RPC port>): a Hadoop client's fs.defaultFS.",
    value: (plan) => plan.endpoints.defaultFS,
  },
  warehouse: {
    description: "The warehouse on HDFS: its root and the iceberg, delta and hive directories the engines' catalogs write to.",
    value: (plan) => plan.endpoints.warehouse,
  },
};

/** Who may act as a superuser, and with Kerberos how every client and connection is authenticated and encrypted. */
export function hdfsSecurity(plan: Plan): SecurityLines {
  const c = plan.config;
  const enforced = [
    `HDFS: only ${c.hdfs.user} and group ${c.hdfs.adminGroup} are superusers; the engines act as ${c.warehouse.owner}, which owns ${c.warehouse.root}/* and nothing above it`,
  ];
  if (c.kerberos.enabled)
    enforced.push(
      "HDFS: Kerberos for every client and daemon (a claimed user name counts for nothing); RPC and block transfer encrypted (privacy); block access tokens; web endpoints on HTTPS only, WebHDFS with SPNEGO",
    );
  return { enforced, weakened: [] };
}
