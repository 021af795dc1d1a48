/**
 * What the policy pack knows of HDFS: the Pulumi type tokens of HDFS's components, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them; and the rules that keep its data. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const HDFS_TYPES = {
  NameNode: "lakehouse:hdfs:NameNode",
  DataNode: "lakehouse:hdfs:DataNode",
  Warehouse: "lakehouse:hdfs:Warehouse",
} as const;

export const hdfsPolicy: ServicePolicy = {
  types: HDFS_TYPES,
  destroyers: [
    [/\brm\s+(-[a-zA-Z-]*\s+)*[^\n;|&]*\/(hadoop-hdfs|hdfs|namenode|datanode|dfs)\b/, "removes HDFS metadata or block directories"],
    [/\bhdfs\s+dfs\s+-rm\b|\bhadoop\s+fs\s+-rm\b/, "removes files from HDFS"],
    [/\bnamenode\s+-format\b/, "formats the NameNode"],
  ],
  exactlyOne: [{ type: HDFS_TYPES.NameNode, plural: "NameNodes" }],
  within: [
    {
      type: HDFS_TYPES.NameNode,
      what: "the NameNode",
      prop: "replication",
      setting: "dfs.replication",
      of: HDFS_TYPES.DataNode,
      ofPlural: "DataNodes",
    },
  ],
};
