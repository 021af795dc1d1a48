/**
 * The bill of materials: every release the cluster runs (version, source URL, checksum), assembled from the
 * releases each service declares in its folder (services/<name>/releases.ts, registered in services/bom.ts), the
 * JDKs, and how the stack's `artifacts` and `java` entries merge over the defaults.
 */
import { z } from "zod";
import { RELEASES, type ReleaseName } from "../../services/bom";
import type { ReleaseDecls } from "../../services/release";
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

/** A release's key under `artifacts` (`hadoop`, …): the ones the services declare (services/bom.ts). */
export type ArtifactName = ReleaseName;

/**
 * Defaults: every service's releases (services/<name>/releases.ts), in the registry's order. Apache tarballs are
 * checked against the checksum file the ASF publishes beside them; Maven Central artifacts against a SHA-512
 * pinned in their service's folder, except the ones whose service says it could not pin them: those use
 * Central's .sha1 until someone pins them. Pin `sha512` yourself for the strictest setup.
 */
export const DEFAULT_ARTIFACTS: Record<ArtifactName, ArtifactConfig> = assembleDefaults();

/** The services' releases as one record; a key two services declare is a bug of the registry, not of a stack. */
function assembleDefaults(): Record<ArtifactName, ArtifactConfig> {
  const out: Record<string, ArtifactConfig> = {};
  for (const [service, decls] of Object.entries(RELEASES) as Array<[string, ReleaseDecls]>) {
    for (const [name, defaults] of Object.entries(decls.defaults)) {
      if (name in out) throw new Error(`services/bom.ts: the release artifacts.${name} is declared twice (again by ${service})`);
      out[name] = defaults;
    }
  }
  return out as Record<ArtifactName, ArtifactConfig>;
}
/** Every release's key, in the order of DEFAULT_ARTIFACTS (the order of their problems). */
export const ARTIFACTS = Object.keys(DEFAULT_ARTIFACTS) as readonly ArtifactName[];

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
export { javaKey, javaMajor } from "./primitives";
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
