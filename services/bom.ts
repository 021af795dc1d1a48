/**
 * The bill of materials' registry: every service's releases (services/<name>/releases.ts), by its config key and
 * in the sections' order, which is the order of the `artifacts` section's keys and of their problems. Checked
 * against the sections' keys (ReleaseRegistry), so a service with a section but no entry here does not compile;
 * one that installs from the OS's packages only says so (NO_RELEASES). lib/config/artifacts.ts assembles the
 * `artifacts` section from these, lib/compat.ts checks their version rules, lab/bom.ts prints them for the lab.
 *
 * Imported by lib/config/artifacts.ts, so neither this file nor a releases.ts imports lib/config at run time.
 */
import { flinkReleases } from "./flink/releases";
import { hdfsReleases } from "./hdfs/releases";
import { metastoreReleases } from "./metastore/releases";
import { NO_RELEASES, type ReleaseDecls } from "./release";
import type { ServiceKey } from "./sections";
import { sparkReleases } from "./spark/releases";
import { trinoReleases } from "./trino/releases";

export const RELEASES = {
  // Both from the OS's packages (the PostgreSQL JDBC driver is the metastore's release).
  kerberos: NO_RELEASES,
  postgres: NO_RELEASES,
  hdfs: hdfsReleases,
  metastore: metastoreReleases,
  trino: trinoReleases,
  spark: sparkReleases,
  flink: flinkReleases,
} as const;

/**
 * A registry with an entry for every service and none for another key. The registry's type is checked with it
 * (ReleaseRegistry) apart from its declaration: the sections' types need ReleaseName, so the registry's own type
 * may not depend on ServiceKey.
 */
export type EveryService<T extends { readonly [K in ServiceKey]: ReleaseDecls } & { readonly [K in Exclude<keyof T, ServiceKey>]: never }> =
  T;
/** The registry's type: a service with a section but no entry, or an entry for no service, does not compile. */
export type ReleaseRegistry = EveryService<typeof RELEASES>;

/** Every release's key under `artifacts`: the closed union of the services' declared ones. */
export type ReleaseName = { [K in keyof typeof RELEASES]: keyof (typeof RELEASES)[K]["defaults"] & string }[keyof typeof RELEASES];
