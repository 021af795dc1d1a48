/**
 * Property names a Trino 435 server accepts in the files this project renders, from the 435 documentation
 * (admin/properties*, installation/deployment, connector/iceberg|delta-lake|hive, object-storage). Trino
 * refuses to start on an unknown property, so a rendered key outside these lists is a bug the tests catch.
 * Overrides are the user's responsibility (these lists are not exhaustive); `unknownTrinoKeys` checks them
 * on request.
 */
export const TRINO_435_PROPERTIES = {
  "config.properties": [
    "coordinator",
    "node-scheduler.include-coordinator",
    "http-server.http.port",
    "http-server.http.enabled",
    "http-server.https.enabled",
    "http-server.https.port",
    "http-server.https.keystore.path",
    "http-server.authentication.type",
    "discovery.uri",
    "query.max-memory",
    "query.max-memory-per-node",
    "query.max-total-memory",
    "query.max-run-time",
    "query.max-execution-time",
    "memory.heap-headroom-per-node",
    "internal-communication.shared-secret",
    "internal-communication.https.required",
    "spill-enabled",
    "spiller-spill-path",
    "exchange.compression-enabled",
    "task.concurrency",
    "task.max-worker-threads",
    "web-ui.enabled",
    "web-ui.authentication.type",
    "catalog.management",
    "node-scheduler.max-splits-per-node",
  ],
  "node.properties": ["node.environment", "node.id", "node.data-dir", "node.internal-address", "plugin.dir", "catalog.config-dir"],
  "log.properties": [
    "io.trino",
    "io.airlift",
    "org.apache.hadoop",
    "io.trino.plugin.hive",
    "io.trino.plugin.iceberg",
    "io.trino.plugin.deltalake",
  ],
  catalog: {
    iceberg: [
      "connector.name",
      "iceberg.catalog.type",
      "hive.metastore.uri",
      "hive.metastore-timeout",
      "hive.metastore.username",
      "hive.config.resources",
      "hive.hdfs.authentication.type",
      "iceberg.file-format",
      "iceberg.compression-codec",
      "iceberg.register-table-procedure.enabled",
      "iceberg.unique-table-location",
    ],
    delta_lake: [
      "connector.name",
      "hive.metastore.uri",
      "hive.metastore-timeout",
      "hive.config.resources",
      "hive.hdfs.authentication.type",
      "delta.register-table-procedure.enabled",
      "delta.enable-non-concurrent-writes",
      "delta.compression-codec",
      "delta.hive-catalog-name",
    ],
    hive: [
      "connector.name",
      "hive.metastore.uri",
      "hive.metastore-timeout",
      "hive.config.resources",
      "hive.hdfs.authentication.type",
      "hive.non-managed-table-writes-enabled",
      "hive.storage-format",
      "hive.compression-codec",
      "hive.allow-drop-table",
      "hive.recursive-directories",
      "hive.iceberg-catalog-name",
      "hive.delta-lake-catalog-name",
    ],
  },
} as const;

export type TrinoFile = "config.properties" | "node.properties" | "log.properties" | `catalog:${keyof typeof TRINO_435_PROPERTIES.catalog}`;

/** The keys of a rendered Trino file that are not on the 435 allowlist for that file (or connector). */
export function unknownTrinoKeys(file: TrinoFile, keys: Iterable<string>): string[] {
  const allowed: readonly string[] = file.startsWith("catalog:")
    ? TRINO_435_PROPERTIES.catalog[file.slice("catalog:".length) as keyof typeof TRINO_435_PROPERTIES.catalog]
    : TRINO_435_PROPERTIES[file as "config.properties" | "node.properties" | "log.properties"];
  if (!allowed) throw new Error(`no Trino 435 allowlist for ${file}`);
  return [...keys].filter((k) => !allowed.includes(k));
}
