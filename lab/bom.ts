/**
 * The lab's bill of materials: the product's releases (services/<name>/releases.ts, assembled by
 * lib/config/artifacts.ts) with the lab's own choices merged over them the way a stack's `artifacts` entries are,
 * and the JDK the lab packs for the releases that need a newer Java than Debian 12 packages. lab/mirror.sh builds
 * its mirror from it and .ci/run checks for that JDK, so neither keeps versions of its own.
 *
 * Printed as lines a shell reads (`read -r`), fields separated by one space:
 *   artifact <key> <version> <path under the mirror's www/> <Maven coordinate g:a:v:ext[:classifier], or ->
 *   jdk <major> [<service>...]        the services whose lab release runs on no default JDK, only on this one
 *
 * Usage: node --import tsx lab/bom.ts   (LAKEHOUSE_LAB_TRINO=<version>: the lab's Trino, see labVersions)
 */
import { ARTIFACTS, artifactsSchema, DEFAULT_JDKS, mergeArtifacts, type ArtifactConfig, type ArtifactName } from "../lib/config/artifacts";
import { zodProblems } from "../lib/config/errors";
import { JAVA_MATRIX, javaRange, type JavaMatrix } from "../lib/compat";
import { APACHE_ARCHIVE, MAVEN_CENTRAL } from "../services/release";
import type { ServiceKey } from "../services/sections";

/**
 * The lab's versions where they differ from the product's defaults. Trino 435 (the last on Java 17, the product's
 * default) is not on this workplace's Maven registry; 476 is. It needs Java 24+, which Debian 12 does not
 * package: the lab installs it as a JDK archive (LAB_JDK_MAJOR), the same way a user on Debian 12 who wants a
 * newer Trino would point java.<major> at a Temurin tarball.
 */
export const labVersions = (env: NodeJS.ProcessEnv = process.env): Partial<Record<ArtifactName, { version: string }>> => ({
  trino: { version: env.LAKEHOUSE_LAB_TRINO ?? "476" },
});

/** The JDK the lab packs (lab/mirror.sh, from a Temurin JDK on this machine) for the releases that need it. */
export const LAB_JDK_MAJOR = 25;

/** Where the mirror keeps each public source's files (its www/ has the sources' own layouts below these). */
export const MIRROR_DIRS: Readonly<Record<string, string>> = { [APACHE_ARCHIVE]: "apache", [MAVEN_CENTRAL]: "maven2" };

export interface BomArtifact {
  name: ArtifactName;
  version: string;
  /** Its file's path under the mirror's www/: its URL with the source replaced by the source's directory. */
  path: string;
  /** `group:artifact:version:extension[:classifier]` for a file on Maven Central. */
  coordinate?: string;
}

export interface LabBom {
  artifacts: BomArtifact[];
  jdk: { major: number; services: ServiceKey[] };
}

/** A URL template with its version, as components/artifact.ts expands it on the hosts. */
const expand = (template: string, version: string): string => template.split("{version}").join(version);

/** A Maven Central path's coordinate: <group dirs>/<artifact>/<version>/<artifact>-<version>[-<classifier>].<ext>. */
export function mavenCoordinate(centralPath: string): string {
  const parts = centralPath.split("/");
  const [artifact, version, file] = parts.slice(-3);
  const m = file.startsWith(`${artifact}-${version}`) ? /^(?:-([^.]+))?\.(.+)$/.exec(file.slice(`${artifact}-${version}`.length)) : null;
  if (parts.length < 4 || !m) throw new Error(`lab/bom.ts: ${centralPath} is not in Maven's repository layout`);
  return [parts.slice(0, -3).join("."), artifact, version, m[2], ...(m[1] ? [m[1]] : [])].join(":");
}

function bomArtifact(name: ArtifactName, a: ArtifactConfig): BomArtifact {
  const url = expand(a.url ?? "", a.version);
  const source = Object.keys(MIRROR_DIRS).find((s) => url.startsWith(`${s}/`));
  if (!source)
    throw new Error(`lab/bom.ts: artifacts.${name}: ${url} is from no source the mirror has (${Object.keys(MIRROR_DIRS).join(", ")})`);
  const rest = url.slice(source.length + 1);
  return {
    name,
    version: a.version,
    path: `${MIRROR_DIRS[source]}/${rest}`,
    ...(source === MAVEN_CENTRAL ? { coordinate: mavenCoordinate(rest) } : {}),
  };
}

/** The services whose release (as merged) runs on none of the default JDKs; each must run on LAB_JDK_MAJOR. */
function servicesOnLabJdk(artifacts: Record<ArtifactName, ArtifactConfig>): ServiceKey[] {
  const defaults = Object.keys(DEFAULT_JDKS).map(Number);
  const out: ServiceKey[] = [];
  for (const [service, matrix] of Object.entries(JAVA_MATRIX) as Array<[ServiceKey, JavaMatrix]>) {
    const range = javaRange(service, artifacts[matrix.artifact].version);
    const runsOn = (java: number) => range === undefined || (java >= range.min && (range.max === undefined || java <= range.max));
    if (defaults.some(runsOn)) continue;
    if (!runsOn(LAB_JDK_MAJOR))
      throw new Error(
        `lab/bom.ts: ${matrix.artifact} ${artifacts[matrix.artifact].version} does not run on Java ${LAB_JDK_MAJOR} (${range!.why})`,
      );
    out.push(service);
  }
  return out;
}

/** The product's releases with the lab's versions merged over them, and the lab's JDK with the services that need it. */
export function labBom(env: NodeJS.ProcessEnv = process.env): LabBom {
  // Checked as a stack's `artifacts` entries are: by the schema, then by the merge.
  const given = artifactsSchema.safeParse(labVersions(env));
  const problems = given.success ? [] : zodProblems(given.error, ["artifacts"]);
  const merged = mergeArtifacts(given.data ?? {}, problems);
  if (problems.length) throw new Error(`lab/bom.ts: the lab's versions are refused:\n${problems.join("\n")}`);
  return {
    artifacts: ARTIFACTS.map((name) => bomArtifact(name, merged[name])),
    jdk: { major: LAB_JDK_MAJOR, services: servicesOnLabJdk(merged) },
  };
}

/** The lines lab/mirror.sh and .ci/run read (see the file's comment). */
export function bomLines(bom: LabBom): string[] {
  return [
    ...bom.artifacts.map((a) => ["artifact", a.name, a.version, a.path, a.coordinate ?? "-"].join(" ")),
    ["jdk", bom.jdk.major, ...bom.jdk.services].join(" "),
  ];
}

if (require.main === module) {
  try {
    process.stdout.write(bomLines(labBom()).join("\n") + "\n");
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
