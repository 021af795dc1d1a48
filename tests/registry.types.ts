/**
 * Compile-time checks of the registry, run by `npm run build` (tsc): each `@ts-expect-error` fails the build
 * when the line under it starts compiling, i.e. when the registry stops refusing a half-added service.
 */
import type { Role, ServiceDescriptor, ServiceKey, ServiceKind, SERVICES } from "../services";
import { flink } from "../services/flink";
import { hdfs } from "../services/hdfs";
import { metastore } from "../services/metastore";
import { postgres } from "../services/postgres";
import { spark } from "../services/spark";

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
