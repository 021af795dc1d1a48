/**
 * Compile-time checks of the registry, run by `npm run build` (tsc): each `@ts-expect-error` fails the build
 * when the line under it starts compiling, i.e. when the registry stops refusing a half-added service, or the
 * secrets' declarations a half-declared secret.
 */
import type { Role, ServiceDescriptor, ServiceKey, ServiceKind, SERVICES } from "../services";
import { flink } from "../services/flink";
import { hdfs } from "../services/hdfs";
import { metastore } from "../services/metastore";
import { postgres } from "../services/postgres";
import { spark } from "../services/spark";
import { z } from "zod";
import type { SecretDecl } from "../services/secret";
import { defineSection } from "../services/section";
import type { SecretKey } from "../lib/config";
import type { Secrets } from "../config-templates/common";
import type { GeneratedSecrets, SecretOutputValues } from "../components/stages/secrets";
import type { ServiceDeploy } from "../components/service-deploy";
import type { DEPLOYS } from "../services/deploy";
import { hdfsDeploy } from "../services/hdfs/deploy";
import { kerberosDeploy } from "../services/kerberos/deploy";
import { metastoreDeploy } from "../services/metastore/deploy";
import { postgresDeploy } from "../services/postgres/deploy";
import { sparkDeploy } from "../services/spark/deploy";
import { trinoDeploy } from "../services/trino/deploy";

// A registry that lacks one service's descriptor (a section declared in sections.ts, no descriptor).
// @ts-expect-error trino is missing
export const missing: typeof SERVICES = { postgres, hdfs, metastore, spark, flink };

// A descriptor for a service that has no section.
// @ts-expect-error "kafka" is no ServiceKey
export type NoSection = ServiceDescriptor<"kafka">;

// Roles and kinds are exactly the declared ones.
// @ts-expect-error no service declares this role
export const role: Role = "kafka-broker";
// @ts-expect-error no service declares this kind
export const kind: ServiceKind = "kafka";
export const known: [Role, ServiceKind, ServiceKey] = ["trino-worker", "trino", "trino"];

// Secrets (services/secret.ts): a secret no user may set must be generated, or it never has a value.
// @ts-expect-error declared, never generated, not settable: it would have no value
export const neverGenerated: SecretDecl = { config: false, generate: false, rendered: false, output: false, rotation: "-" };
// A secret the renderers get is generated (a user's alone may be absent).
// @ts-expect-error rendered, never generated
export const renderedNotGenerated: SecretDecl = { config: z.string(), generate: false, rendered: true, output: false, rotation: "-" };
// Every entry of a declaration is spelled out: here its rotation is missing.
// @ts-expect-error rotation is missing
export const noRotation: SecretDecl = { config: z.string().optional(), generate: false, rendered: false, output: false };
// A section declares its secrets (none: {}).
// @ts-expect-error secrets is missing
export const noSecrets = defineSection({
  key: "kafka",
  label: "Kafka",
  roles: [],
  schema: z.strictObject({}),
  files: [],
  switchable: true,
});
// The secrets stage yields every declared generated secret: one that lacks postgresPassword does not type.
// @ts-expect-error postgresPassword is declared (services/postgres/config.ts) but not generated
export const ungenerated: GeneratedSecrets = {} as Omit<GeneratedSecrets, "postgresPassword">;
// The renderers' secrets are the declared ones: one that lacks a declared secret, or adds another, does not type.
// @ts-expect-error trinoSharedSecret is missing
export const fewer: Secrets = { postgresPassword: "", sparkAuthSecret: "", trinoPasswords: {}, hashKey: "" };
export const more: Secrets = {
  ...({} as Secrets),
  // @ts-expect-error no service declares kafkaSecret
  kafkaSecret: "",
};
// The secret outputs index.ts exports are declared ones.
// @ts-expect-error no secret declares the output kafkaPassword
export const output: keyof SecretOutputValues = "kafkaPassword";
export const outputs: Array<keyof SecretOutputValues> = [
  "metastoreDbPassword",
  "sparkAuthSecret",
  "trinoPasswords",
  "kerberosAdminPassword",
];
// SECRET_KEYS are the secrets a user may set: not the stack's hash key.
// @ts-expect-error hashKey is no config key
export const hashKeyIsConfig: SecretKey = "hashKey";

// The deploy halves (services/deploy.ts): a registry that lacks one service's deploy half does not compile, nor
// does a deploy half that leaves a kind of its instances without a component.
// @ts-expect-error flink's deploy half is missing
export const missingDeploy: typeof DEPLOYS = { kerberos: kerberosDeploy, postgres: postgresDeploy, hdfs: hdfsDeploy, metastore: metastoreDeploy, trino: trinoDeploy, spark: sparkDeploy };
// @ts-expect-error the datanode kind has no component
export const halfHdfs: ServiceDeploy<"hdfs"> = { components: { namenode: hdfsDeploy.components.namenode } };
