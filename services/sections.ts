/**
 * The services' config sections, one line per service. The order is the start order's tie-break (PostgreSQL,
 * HDFS, the metastore, then the engines) and the order of a node's services. The closed unions of roles and
 * service kinds derive from this list, and so does the config schema (lib/config/schema.ts): a role or a
 * section exists only if a service declares it.
 *
 * Each service's code (plan, files, checks, diagram) is its descriptor in services/<name>/index.ts; the list of
 * descriptors (services/index.ts) is typed by the keys here, so a service with a section but no descriptor, or
 * the reverse, does not compile. The two lists are separate because the descriptors' code takes the whole
 * config, whose type is made from these sections.
 */
import { flinkSection } from "./flink/config";
import { hdfsSection } from "./hdfs/config";
import { kerberosSection } from "./kerberos/config";
import { metastoreSection } from "./metastore/config";
import { postgresSection } from "./postgres/config";
import { sparkSection } from "./spark/config";
import { trinoSection } from "./trino/config";
import type { UnionToIntersection } from "../lib/types";

export const SECTIONS = [
  kerberosSection,
  postgresSection,
  hdfsSection,
  metastoreSection,
  trinoSection,
  sparkSection,
  flinkSection,
] as const;

export type Section = (typeof SECTIONS)[number];
/** `hdfs`, `postgres`, … : the config sections that belong to a service. */
export type ServiceKey = Section["key"];
export type SectionOf<K extends ServiceKey> = Extract<Section, { key: K }>;
export type Role = Section["roles"][number]["name"];
export type ServiceKind = Section["roles"][number]["kind"];
export type RoleOf<K extends ServiceKey> = SectionOf<K>["roles"][number]["name"];

type RoleEntry = { name: Role; kind: ServiceKind; singleton: boolean; required: boolean; service: ServiceKey };
/** Every role, in the sections' order, with the service it belongs to. */
export const ROLE_DEFS: readonly RoleEntry[] = SECTIONS.flatMap((s) => s.roles.map((r) => ({ ...r, service: s.key })));
export const ROLES = ROLE_DEFS.map((r) => r.name) as [Role, ...Role[]];
/** Roles that exist exactly once in a cluster (while their service is on). */
export const SINGLETON_ROLES: readonly Role[] = ROLE_DEFS.filter((r) => r.singleton).map((r) => r.name);
/** Roles at least one node must have (while their service is on). */
export const REQUIRED_ROLES: readonly Role[] = ROLE_DEFS.filter((r) => r.required).map((r) => r.name);
/** Service kinds in start-order tie-break order. */
export const KINDS: readonly ServiceKind[] = [...new Set(ROLE_DEFS.map((r) => r.kind))];
export const SERVICE_KEYS: readonly ServiceKey[] = SECTIONS.map((s) => s.key);

export const roleDef = (role: Role): RoleEntry => ROLE_DEFS.find((r) => r.name === role)!;
export const sectionOf = <K extends ServiceKey>(key: K): SectionOf<K> => SECTIONS.find((s) => s.key === key) as SectionOf<K>;
/** The service a kind of instance belongs to. */
export const serviceOfKind = (kind: ServiceKind): ServiceKey => ROLE_DEFS.find((r) => r.kind === kind)!.service;

/** Every service's secrets by name (each section's `secrets`): lib/config/secrets.ts adds the cluster's own. */
export type ServiceSecrets = UnionToIntersection<Section["secrets"]>;
export const SERVICE_SECRETS = Object.assign({}, ...SECTIONS.map((s) => s.secrets)) as ServiceSecrets;

/** The sections' schemas by key, for the config schema. */
export type SectionShapes = { [S in Section as S["key"]]: S["schema"] };
export const SECTION_SHAPES = Object.fromEntries(SECTIONS.map((s) => [s.key, s.schema])) as SectionShapes;
