/**
 * The metastore's releases: Hive's standalone metastore and the PostgreSQL JDBC driver it reaches its database
 * with, both from Maven Central against a SHA-512 pinned here (computed from the files Maven verified against
 * Central's .sha1); and which metastore versions its clients cannot talk to.
 */
import { defineReleases, MAVEN_CENTRAL } from "../release";

export const metastoreReleases = defineReleases({
  defaults: {
    hive: {
      version: "3.1.3",
      url: `${MAVEN_CENTRAL}/org/apache/hive/hive-standalone-metastore/{version}/hive-standalone-metastore-{version}-bin.tar.gz`,
      sha512:
        "94b9e8c4b9dfdbf1b9c612766907510d03d679ac404adc73980a893e2d3ab49f2ccb7548fe2ba2cd3677c5ba7b2de6fe33713a0e60a2b26967067336376ccf3a",
    },
    postgresJdbc: {
      version: "42.7.8",
      url: `${MAVEN_CENTRAL}/org/postgresql/postgresql/{version}/postgresql-{version}.jar`,
      sha512:
        "3ec6f2186ad9f2cbd7916cc1749b61433137c78c13e13b7583507051733318423505fa61908242f4d02e0d90f7db6eecdb6d573a966773d274bf2c78d976573b",
    },
  },
  /** Metastore versions its clients are known to break with. */
  compat: {
    hive: [
      {
        from: "4.0.1",
        problem: (v) =>
          `metastore ${v} removed the Thrift call get_table, which Spark 3.5's Hive client and Iceberg's HiveCatalog still use ("Invalid method name: 'get_table'"); use 3.1.3 or 4.0.0`,
      },
    ],
  },
});
