/**
 * Compile-time checks of the registry, run by `npm run build` (tsc): each `@ts-expect-error` fails the build
 * when the line under it starts compiling, i.e. when the registry stops refusing a half-added service, or the
 * secrets' declarations a half-declared secret.
 */
import type { DiagramClass, Role, ServiceDescriptor, ServiceKey, ServiceKind, SERVICES, StackOutputDecl } from "../services";
import { flink } from "../services/flink";
import { hdfs } from "../services/hdfs";
import { metastore } from "../services/metastore";
import { postgres } from "../services/postgres";
import { spark } from "../services/spark";
import { trino } from "../services/trino";
import { z } from "zod";
import type { SecretDecl } from "../services/secret";
import { defineSection } from "../services/section";
import type { EveryService, RELEASES } from "../services/bom";
import { defineReleases, type ReleaseDecls } from "../services/release";
import type { SecretKey } from "../lib/config";
import type { Secrets } from "../config-templates/common";
import type { GeneratedSecrets, SecretOutputValues } from "../components/stages/secrets";
import type { ClusterOutputs, StackOutputs } from "../components/stages/outputs";
import * as pulumi from "@pulumi/pulumi";
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
// The secret outputs the stack exports (components/stages/outputs.ts, index.ts) are declared ones.
// @ts-expect-error no secret declares the output kafkaPassword
export const output: keyof SecretOutputValues = "kafkaPassword";
export const outputs: Array<keyof SecretOutputValues> = [
  "metastoreDbPassword",
  "sparkAuthSecret",
  "trinoPasswords",
  "kerberosAdminPassword",
];
// And the stack's outputs hold every one: outputs lacking one declared secret output do not type.
// @ts-expect-error trinoPasswords is missing
export const lacking: StackOutputs = {} as ClusterOutputs & Omit<SecretOutputValues, "trinoPasswords">;
export const complete: StackOutputs = {} as ClusterOutputs & SecretOutputValues;
// A service's stack output (services/<name>/outputs.ts) says what it is: here its description is missing.
// @ts-expect-error description is missing
export const undescribed: StackOutputDecl = { value: (plan) => plan.endpoints.defaultFS };
export const pulumiValued: StackOutputDecl = {
  description: "The CA's certificate, which only the deployment knows.",
  // @ts-expect-error a service's output is JSON from the plan (pure), never a Pulumi Output
  value: () => pulumi.output(""),
};
// SECRET_KEYS are the secrets a user may set: not the stack's hash key.
// @ts-expect-error hashKey is no config key
export const hashKeyIsConfig: SecretKey = "hashKey";

// The deploy halves (services/deploy.ts): a registry that lacks one service's deploy half does not compile, nor
// does a deploy half that leaves a kind of its instances without a component.
// @ts-expect-error flink's deploy half is missing
export const missingDeploy: typeof DEPLOYS = {
  kerberos: kerberosDeploy,
  postgres: postgresDeploy,
  hdfs: hdfsDeploy,
  metastore: metastoreDeploy,
  trino: trinoDeploy,
  spark: sparkDeploy,
};
// @ts-expect-error the datanode kind has no component
export const halfHdfs: ServiceDeploy<"hdfs"> = { components: { namenode: hdfsDeploy.components.namenode } };

// Releases (services/bom.ts): every service has an entry (none: NO_RELEASES), and no other key has one.
// @ts-expect-error trino's releases are missing
export type MissingReleases = EveryService<Omit<typeof RELEASES, "trino">>;
// @ts-expect-error kafka is no service
export type ExtraReleases = EveryService<typeof RELEASES & { kafka: ReleaseDecls }>;
// A version rule is about a release of the service's own.
export const foreignRule = defineReleases({
  defaults: { kafka: { version: "4.0.0", url: "https://example.org/kafka-{version}.tgz", sha512: "a".repeat(128) } },
  // @ts-expect-error hive is not one of this service's releases
  compat: { hive: [{ from: "4.0.1", problem: () => "" }] },
});

// A role joins (`joins`) only another role of its own service.
export const foreignJoin: ServiceDescriptor<"trino"> = {
  ...trino,
  // @ts-expect-error datanode is no role of Trino's
  joins: { "trino-worker": "datanode" },
};
// The diagram's classes are the descriptor type's (services/descriptor.ts DIAGRAM_CLASSES).
// @ts-expect-error no such diagram class
export const unknownClass: DiagramClass = "storage";
