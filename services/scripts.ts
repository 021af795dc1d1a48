/**
 * The services' host scripts: each service that runs scripts of its own keeps them in services/<name>/scripts/
 * and their definitions beside them (services/<name>/scripts.ts); one line here registers them, and
 * lib/host-scripts.ts joins them with the generic scripts (components/scripts/) into HOST_SCRIPTS. A service's
 * part of a generic script (its steps of the smoke test) is a fragment in services/<name>/scripts/parts/, named
 * after that script and defined beside the service's scripts; one line in SERVICE_SCRIPT_PARTS registers it, and
 * the parts go into their script in this list's order. Apart from the registry (services/index.ts) on purpose:
 * this file and those it imports import nothing of the project but types (lib/script-def.ts, lib/host-scripts.ts),
 * so lib/ can read it without importing the services. (A script a service installs as one of its rendered files,
 * like services/spark/hdfs-token.sh, is not a host script: it stays beside the files.ts that reads it, as these
 * stay beside the scripts.ts that names them.)
 */
import { FLINK_SCRIPT_PARTS, FLINK_SCRIPTS } from "./flink/scripts";
import { HDFS_SCRIPT_PARTS, HDFS_SCRIPTS } from "./hdfs/scripts";
import { KERBEROS_SCRIPT_PARTS, KERBEROS_SCRIPTS } from "./kerberos/scripts";
import { METASTORE_SCRIPTS } from "./metastore/scripts";
import { POSTGRES_SCRIPTS } from "./postgres/scripts";
import { SPARK_SCRIPT_PARTS, SPARK_SCRIPTS } from "./spark/scripts";
import { TRINO_SCRIPT_PARTS, TRINO_SCRIPTS } from "./trino/scripts";

export const SERVICE_SCRIPTS = [
  KERBEROS_SCRIPTS,
  POSTGRES_SCRIPTS,
  HDFS_SCRIPTS,
  METASTORE_SCRIPTS,
  TRINO_SCRIPTS,
  SPARK_SCRIPTS,
  FLINK_SCRIPTS,
] as const;

/**
 * The services' parts of generic scripts, in the order they go in: the smoke test's steps run in their own order
 * (each part gives its steps one), but its parameters, its secrets on stdin, its clean-ups and its logins come in
 * this one.
 */
export const SERVICE_SCRIPT_PARTS = [
  TRINO_SCRIPT_PARTS,
  SPARK_SCRIPT_PARTS,
  FLINK_SCRIPT_PARTS,
  HDFS_SCRIPT_PARTS,
  KERBEROS_SCRIPT_PARTS,
] as const;
