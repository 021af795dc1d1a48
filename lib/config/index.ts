/**
 * The stack's configuration, pure (no Pulumi). `validateConfig` takes the raw key/value map (as `pulumi config`
 * stores it) and either returns a typed `ClusterConfig` or throws a `ConfigError` listing every problem with
 * its key path. The parts:
 *  - schema.ts: one zod section per `lakehouse:*` key, roles, the files each section renders;
 *  - secrets.ts: the secrets (the cluster's declared there, the services' gathered): secret keys and fields;
 *  - artifacts.ts: the bill of materials (releases, checksums, JDKs) and how the stack's entries merge;
 *  - rules.ts: the cross-field rules and validateConfig;
 *  - errors.ts: problem reporting and config namespaces;
 *  - primitives.ts: the value types the sections share;
 *  - host-dirs.ts: the system's and the program's own directories on the hosts, which no configured dir may be.
 */
export * from "./schema";
export type { GeneratedSecretName, RenderedSecretName, SecretName, SecretOutputs, SecretValue } from "./secrets";
export { CLUSTER_SECRETS, SECRETS } from "./secrets";
export * from "./artifacts";
export * from "./errors";
export * from "./rules";
export * from "./host-dirs";
