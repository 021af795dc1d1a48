/**
 * Flink's releases: the Apache tarball (checked against the checksum file the ASF publishes beside it), the
 * Iceberg runtime built for Flink 1.20 (from Maven Central, against a SHA-512 pinned here, computed from the file
 * Maven verified against Central's .sha1) and the Hive connector for Hive 3.1.3 (against Central's .sha1: this
 * project's build machines could not fetch it to pin its SHA-512); and the Flink versions that have no Hive
 * connector.
 */
import { APACHE_ARCHIVE, defineReleases, MAVEN_CENTRAL } from "../release";

export const flinkReleases = defineReleases({
  defaults: {
    flink: {
      version: "1.20.3",
      url: `${APACHE_ARCHIVE}/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz`,
      checksumUrl: `${APACHE_ARCHIVE}/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz.sha512`,
    },
    icebergFlink: {
      version: "1.10.0",
      url: `${MAVEN_CENTRAL}/org/apache/iceberg/iceberg-flink-runtime-1.20/{version}/iceberg-flink-runtime-1.20-{version}.jar`,
      sha512:
        "dee0d9a44a9c45ba2bb70a9eadc95eea5c19d18ec2ca368bea5858bbe055bd7572bef23d2abceabfb4bb75d5c6ce35be72fe75513e42ff97df4b73b1f3798036",
    },
    flinkHive: {
      version: "1.20.3",
      url: `${MAVEN_CENTRAL}/org/apache/flink/flink-sql-connector-hive-3.1.3_2.12/{version}/flink-sql-connector-hive-3.1.3_2.12-{version}.jar`,
      checksumUrl: `${MAVEN_CENTRAL}/org/apache/flink/flink-sql-connector-hive-3.1.3_2.12/{version}/flink-sql-connector-hive-3.1.3_2.12-{version}.jar.sha1`,
    },
  },
  compat: {
    flink: [{ from: "2.0.0", problem: (v) => `Flink ${v} has no Hive connector; the lakehouse needs Flink 1.20.x` }],
  },
});
