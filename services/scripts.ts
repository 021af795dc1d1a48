/**
 * The services' host scripts: each service that runs scripts of its own keeps them in services/<name>/scripts/
 * and their definitions beside them (services/<name>/scripts.ts); one line here registers them, and
 * lib/host-scripts.ts joins them with the generic scripts (components/scripts/) into HOST_SCRIPTS. Apart from the
 * registry (services/index.ts) on purpose: this file and those it imports import nothing of the project but
 * lib/script-def.ts's types, so lib/ can read it without importing the services. (A script a service installs
 * as one of its rendered files, like services/spark/hdfs-token.sh, is not a host script: it stays beside the
 * files.ts that reads it, as these stay beside the scripts.ts that names them.)
 */
import { HDFS_SCRIPTS } from "./hdfs/scripts";
import { KERBEROS_SCRIPTS } from "./kerberos/scripts";
import { METASTORE_SCRIPTS } from "./metastore/scripts";
import { POSTGRES_SCRIPTS } from "./postgres/scripts";

export const SERVICE_SCRIPTS = [KERBEROS_SCRIPTS, POSTGRES_SCRIPTS, HDFS_SCRIPTS, METASTORE_SCRIPTS] as const;
