/**
 * What a service declares about its releases, in its own folder (services/<name>/releases.ts): each release's
 * defaults (version, URL template, checksum) by its key under `lakehouse:artifacts`, and the version rules that
 * involve them. lib/config/artifacts.ts assembles the bill of materials from the services' declarations
 * (registered in services/bom.ts); lib/compat.ts applies their rules.
 *
 * Pure, like section.ts: it imports types only.
 */
import type { ArtifactConfig } from "../lib/config/artifacts";

/** The Apache archive, where every Apache release stays once published. */
export const APACHE_ARCHIVE = "https://archive.apache.org/dist";
/** Maven Central. */
export const MAVEN_CENTRAL = "https://repo1.maven.org/maven2";

/** A range [from, to) of a release's versions known not to work with the rest of the stack. */
export interface VersionRule {
  readonly from: string;
  /** Absent: every version from `from` on. */
  readonly to?: string;
  /** What breaks, for the message `artifacts.<key>.version: <problem>`; told the version. */
  readonly problem: (version: string) => string;
}

/** A service's releases, by their keys under `artifacts` (N). */
export interface ReleaseDecls<N extends string = string> {
  /**
   * Each release's defaults, in the order the `artifacts` section lists them: its version, its URL template
   * (`{version}` is replaced by the version) and either a pinned SHA-512 or the URL template of a published
   * checksum file. The stack's `artifacts.<key>` entries are merged over these (lib/config/artifacts.ts).
   */
  readonly defaults: { readonly [K in N]: ArtifactConfig };
  /**
   * Versions of these releases known not to work with the rest of the stack (a call the metastore dropped that its
   * clients still make, a connector a release does not have), by release; absent: none. Checked on the releases
   * as merged (lib/compat.ts), whatever the service's own section says.
   */
  readonly compat?: { readonly [K in N]?: readonly VersionRule[] };
}

/** Keeps the literal keys of a service's releases, from which the closed union ArtifactName derives. */
export function defineReleases<const N extends string>(d: {
  readonly defaults: ReleaseDecls<N>["defaults"];
  /** Keyed by the releases above only (a rule about another service's release does not compile). */
  readonly compat?: ReleaseDecls<NoInfer<N>>["compat"];
}): ReleaseDecls<N> {
  return d;
}

/** The releases of a service that installs from the OS's packages only. */
export const NO_RELEASES: ReleaseDecls<never> = { defaults: {} };
