/**
 * What a service declares about its configuration, without any code that needs the whole config: its
 * `lakehouse:<key>` section (a zod schema with defaults), the roles a node may carry for it, the files its
 * overrides may name and the Java its releases run on. The config schema is assembled from these
 * (services/sections.ts), so this layer may import only zod and lib/config's leaf modules.
 */
import type { z } from "zod";
import type { ArtifactName } from "../lib/config/artifacts";
import type { JavaRule } from "../lib/compat";
import type { SecretDecls } from "./secret";

export interface RoleDef {
  /** As written in `nodes[i].roles`. */
  readonly name: string;
  /**
   * The kind of the service instance a node with this role runs; two roles may share one (a Trino
   * coordinator that also works is one Trino process). Instance ids are `<kind>@<node>`.
   */
  readonly kind: string;
  /** At most one node has it (while its service is on); exactly one when it is also `required`. */
  readonly singleton: boolean;
  /** At least one node has it (while its service is on). */
  readonly required: boolean;
}

export interface SectionDef<
  K extends string = string,
  R extends readonly RoleDef[] = readonly RoleDef[],
  S extends z.ZodType = z.ZodType,
  D extends SecretDecls = SecretDecls,
> {
  /** Its config key: `lakehouse:<key>`. */
  readonly key: K;
  /** How messages name it: "HDFS", "the metastore". */
  readonly label: string;
  readonly roles: R;
  readonly schema: S;
  /** The files its `overrides` may name. */
  readonly files: readonly string[];
  /** `<key>.enabled` switches the whole service off (then none of its roles may be listed). */
  readonly switchable: boolean;
  /** The release whose version decides which Java it runs on, and the known ranges. */
  readonly java?: { readonly artifact: ArtifactName; readonly rules: readonly JavaRule[] };
  /**
   * The secrets the service needs, by name (services/secret.ts: config key and check, generation, output,
   * rotation); none: {}. The config schema, SECRET_KEYS and the RandomPasswords derive from them.
   */
  readonly secrets: D;
}

/** Keeps the literal types of a section (its key, role names and secrets), from which the closed unions derive. */
export function defineSection<const K extends string, const R extends readonly RoleDef[], S extends z.ZodType, D extends SecretDecls>(
  d: SectionDef<K, R, S, D>,
): SectionDef<K, R, S, D> {
  return d;
}

/** What an override of a key the program owns is told to set instead (shared by several sections). */
export const OWNED = {
  defaultFS: "it is hdfs://<namenode host>:<hdfs.nameNodeRpcPort>: use hdfs.nameNodeRpcPort (and the namenode role)",
  metastoreUri: "use metastore.port (the host is the metastore node's)",
} as const;
