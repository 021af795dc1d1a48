/**
 * The bill of materials: every release the cluster runs (version, source URL, checksum) with its defaults,
 * the JDKs, and how the stack's `artifacts` and `java` entries merge over the defaults.
 */
import { z } from "zod";
import { absPath, debPackage, stringish } from "./primitives";

export const artifactSchema = z.strictObject({
  version: stringish(z.string().regex(/^[0-9][0-9A-Za-z.\-_+]*$/, "expected a version such as 3.4.1 (JDKs: 25.0.3+9)")),
  /** URL template; `{version}` is replaced by the version. Point it at a mirror if you have one. */
  url: z
    .string()
    .regex(/^(https?|file):\/\/\S+$/, "expected an http(s) URL")
    .optional(),
  /** Pinned SHA-512 of the file (128 hex digits). */
  sha512: z
    .string()
    .regex(/^[0-9a-f]{128}$/, "expected 128 lowercase hex digits")
    .optional(),
  /** URL template of a published checksum file (GNU or BSD style); used when no sha512 is pinned. */
  checksumUrl: z
    .string()
    .regex(/^(https?|file):\/\/\S+$/, "expected an http(s) URL")
    .optional(),
});
export type ArtifactConfig = z.infer<typeof artifactSchema>;

export const ARTIFACTS = [
  "hadoop",
  "hive",
  "postgresJdbc",
  "trino",
  "spark",
  "flink",
  "icebergSpark",
  "deltaSpark",
  "deltaStorage",
  "icebergFlink",
  "flinkHive",
] as const;
export type ArtifactName = (typeof ARTIFACTS)[number];

const APACHE = "https://archive.apache.org/dist";
const CENTRAL = "https://repo1.maven.org/maven2";
/**
 * Defaults. Apache tarballs are checked against the checksum file the ASF publishes beside them; Maven Central
 * artifacts against a SHA-512 pinned here (computed from the files Maven verified against Central's .sha1),
 * except Trino 435 and the Flink 1.20 Hive connector, which this project's build machines could not fetch:
 * those use Central's .sha1 until someone pins them. Pin `sha512` yourself for the strictest setup.
 */
export const DEFAULT_ARTIFACTS: Record<ArtifactName, ArtifactConfig> = {
  hadoop: {
    version: "3.4.1",
    url: `${APACHE}/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz`,
    checksumUrl: `${APACHE}/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz.sha512`,
  },
  hive: {
    version: "3.1.3",
    url: `${CENTRAL}/org/apache/hive/hive-standalone-metastore/{version}/hive-standalone-metastore-{version}-bin.tar.gz`,
    sha512:
      "94b9e8c4b9dfdbf1b9c612766907510d03d679ac404adc73980a893e2d3ab49f2ccb7548fe2ba2cd3677c5ba7b2de6fe33713a0e60a2b26967067336376ccf3a",
  },
  postgresJdbc: {
    version: "42.7.8",
    url: `${CENTRAL}/org/postgresql/postgresql/{version}/postgresql-{version}.jar`,
    sha512:
      "3ec6f2186ad9f2cbd7916cc1749b61433137c78c13e13b7583507051733318423505fa61908242f4d02e0d90f7db6eecdb6d573a966773d274bf2c78d976573b",
  },
  trino: {
    version: "435",
    url: `${CENTRAL}/io/trino/trino-server/{version}/trino-server-{version}.tar.gz`,
    checksumUrl: `${CENTRAL}/io/trino/trino-server/{version}/trino-server-{version}.tar.gz.sha1`,
  },
  spark: {
    version: "3.5.7",
    url: `${APACHE}/spark/spark-{version}/spark-{version}-bin-hadoop3.tgz`,
    checksumUrl: `${APACHE}/spark/spark-{version}/spark-{version}-bin-hadoop3.tgz.sha512`,
  },
  flink: {
    version: "1.20.3",
    url: `${APACHE}/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz`,
    checksumUrl: `${APACHE}/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz.sha512`,
  },
  icebergSpark: {
    version: "1.10.0",
    url: `${CENTRAL}/org/apache/iceberg/iceberg-spark-runtime-3.5_2.12/{version}/iceberg-spark-runtime-3.5_2.12-{version}.jar`,
    sha512:
      "2ce6c02c8104a8ca2412a261abba7413964677db74ad96d25bd58e25abb7c27cbf94c7dc4cfa33eb12d05a2df04cb0074344983b09abbc43e4a1b4e4abf2b5e1",
  },
  deltaSpark: {
    version: "3.3.2",
    url: `${CENTRAL}/io/delta/delta-spark_2.12/{version}/delta-spark_2.12-{version}.jar`,
    sha512:
      "0599674293c8719f7a90c658e53aec59ac12b0a95f78dc272b91dcdd90fb43df15f6dccf537fa64990295c45b0112b8091b3081ee41dc654f35c2346e65b988b",
  },
  deltaStorage: {
    version: "3.3.2",
    url: `${CENTRAL}/io/delta/delta-storage/{version}/delta-storage-{version}.jar`,
    sha512:
      "2004d9d0eb7634a722a548c718555fdcb70593354df9332ae51691f01faebbaffd92211fac88498d2e90b4b54aa47c56a0e96ba3a8201372d86d805a323e4d01",
  },
  icebergFlink: {
    version: "1.10.0",
    url: `${CENTRAL}/org/apache/iceberg/iceberg-flink-runtime-1.20/{version}/iceberg-flink-runtime-1.20-{version}.jar`,
    sha512:
      "dee0d9a44a9c45ba2bb70a9eadc95eea5c19d18ec2ca368bea5858bbe055bd7572bef23d2abceabfb4bb75d5c6ce35be72fe75513e42ff97df4b73b1f3798036",
  },
  flinkHive: {
    version: "1.20.3",
    url: `${CENTRAL}/org/apache/flink/flink-sql-connector-hive-3.1.3_2.12/{version}/flink-sql-connector-hive-3.1.3_2.12-{version}.jar`,
    checksumUrl: `${CENTRAL}/org/apache/flink/flink-sql-connector-hive-3.1.3_2.12/{version}/flink-sql-connector-hive-3.1.3_2.12-{version}.jar.sha1`,
  },
};

export const artifactsSchema = z
  .strictObject(
    Object.fromEntries(ARTIFACTS.map((a) => [a, artifactSchema.partial().optional()])) as {
      [K in ArtifactName]: z.ZodOptional<
        z.ZodObject<{ [P in keyof typeof artifactSchema.shape]: z.ZodOptional<(typeof artifactSchema.shape)[P]> }>
      >;
    },
  )
  .prefault({});

/**
 * A JDK, either an OS package (Debian 12: openjdk-17-jdk-headless) or, for a Java the distribution does not
 * package (Trino 436+ needs 21..25), an archive in Adoptium's layout (one top-level directory) that is
 * downloaded and verified like any other artifact and unpacked to /opt/jdk-<major>/<version>.
 */
export const jdkSchema = z
  .strictObject({
    /** The OS package that provides this JDK. */
    package: debPackage.optional(),
    /** Its JAVA_HOME; for an archive it defaults to /opt/jdk-<major>/current. */
    home: absPath.optional(),
    /** Archive: its version (directory name under /opt/jdk-<major>), URL template, checksum. */
    ...artifactSchema.partial().shape,
  })
  .superRefine((j, ctx) => {
    const archive = j.url !== undefined || j.version !== undefined || j.sha512 !== undefined || j.checksumUrl !== undefined;
    if (j.package !== undefined && archive) {
      ctx.addIssue({
        code: "custom",
        path: ["package"],
        message: "give either package (+ home) or an archive (version, url, sha512 or checksumUrl), not both",
      });
    } else if (j.package !== undefined) {
      if (j.home === undefined) ctx.addIssue({ code: "custom", path: ["home"], message: "a packaged JDK needs its home (JAVA_HOME)" });
    } else if (!archive) {
      ctx.addIssue({ code: "custom", path: [], message: "expected package + home, or an archive: version, url, sha512 or checksumUrl" });
    } else {
      for (const k of ["version", "url"] as const)
        if (j[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: `a JDK archive needs ${k}` });
      if (j.sha512 === undefined && j.checksumUrl === undefined)
        ctx.addIssue({ code: "custom", path: ["sha512"], message: "a JDK archive needs sha512 or checksumUrl" });
    }
  });
export type JdkConfig = z.infer<typeof jdkSchema>;
export const javaMajor = z.string().regex(/^\d{1,2}$/, "expected a Java major version such as 17");
export const javaKey = stringish(javaMajor);
/** The JDKs every stack has; `java` entries of the stack are merged over these (giving "17" replaces it). */
export const DEFAULT_JDKS: Record<string, JdkConfig> = {
  "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
};

export function mergeArtifacts(
  given: Partial<Record<ArtifactName, Partial<ArtifactConfig>>>,
  problems: string[],
): Record<ArtifactName, ArtifactConfig> {
  const out = {} as Record<ArtifactName, ArtifactConfig>;
  for (const name of ARTIFACTS) {
    const def = DEFAULT_ARTIFACTS[name];
    const g = given[name] ?? {};
    // A pinned checksum belongs to one file: when the version or the URL changes, the default pin cannot follow.
    // The default checksum URL template follows the version, but not a URL of the user's (a mirror): whoever
    // names a source names its checksum too.
    const sameFile = (g.version === undefined || g.version === def.version) && g.url === undefined;
    const userChecksum = g.sha512 !== undefined || g.checksumUrl !== undefined;
    const merged: ArtifactConfig = {
      version: g.version ?? def.version,
      url: g.url ?? def.url,
      sha512: userChecksum ? g.sha512 : sameFile ? def.sha512 : undefined,
      checksumUrl: userChecksum ? g.checksumUrl : g.url === undefined ? def.checksumUrl : undefined,
    };
    if (!merged.url) problems.push(`artifacts.${name}: version ${merged.version} has no artifact source: set artifacts.${name}.url`);
    if (!merged.sha512 && !merged.checksumUrl)
      problems.push(
        `artifacts.${name}: no checksum for ${g.url !== undefined ? "the URL given" : "version " + merged.version}: set artifacts.${name}.sha512 (or checksumUrl)`,
      );
    out[name] = merged;
  }
  return out;
}
