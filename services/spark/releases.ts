/**
 * Spark's releases: the Apache tarball (checked against the checksum file the ASF publishes beside it) and the
 * Iceberg and Delta jars its catalogs need, built for Spark 3.5 and Scala 2.12 (from Maven Central, against a
 * SHA-512 pinned here, computed from the files Maven verified against Central's .sha1); and the Spark versions
 * those jars do not fit.
 */
import { APACHE_ARCHIVE, defineReleases, MAVEN_CENTRAL } from "../release";

export const sparkReleases = defineReleases({
  defaults: {
    spark: {
      version: "3.5.7",
      url: `${APACHE_ARCHIVE}/spark/spark-{version}/spark-{version}-bin-hadoop3.tgz`,
      checksumUrl: `${APACHE_ARCHIVE}/spark/spark-{version}/spark-{version}-bin-hadoop3.tgz.sha512`,
    },
    icebergSpark: {
      version: "1.10.0",
      url: `${MAVEN_CENTRAL}/org/apache/iceberg/iceberg-spark-runtime-3.5_2.12/{version}/iceberg-spark-runtime-3.5_2.12-{version}.jar`,
      sha512:
        "2ce6c02c8104a8ca2412a261abba7413964677db74ad96d25bd58e25abb7c27cbf94c7dc4cfa33eb12d05a2df04cb0074344983b09abbc43e4a1b4e4abf2b5e1",
    },
    deltaSpark: {
      version: "3.3.2",
      url: `${MAVEN_CENTRAL}/io/delta/delta-spark_2.12/{version}/delta-spark_2.12-{version}.jar`,
      sha512:
        "0599674293c8719f7a90c658e53aec59ac12b0a95f78dc272b91dcdd90fb43df15f6dccf537fa64990295c45b0112b8091b3081ee41dc654f35c2346e65b988b",
    },
    deltaStorage: {
      version: "3.3.2",
      url: `${MAVEN_CENTRAL}/io/delta/delta-storage/{version}/delta-storage-{version}.jar`,
      sha512:
        "2004d9d0eb7634a722a548c718555fdcb70593354df9332ae51691f01faebbaffd92211fac88498d2e90b4b54aa47c56a0e96ba3a8201372d86d805a323e4d01",
    },
  },
  compat: {
    spark: [
      {
        from: "4.0.0",
        problem: (v) => `Spark ${v} needs the Scala 2.13 / Spark 4 builds of Iceberg and Delta; this stack pins the Spark 3.5 runtime jars`,
      },
    ],
  },
});
