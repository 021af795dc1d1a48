/**
 * The service registry: every service's descriptor, by its config key. Typed by the sections' keys
 * (services/sections.ts), so a service whose section is declared but whose descriptor is missing, or the
 * reverse, does not compile. Adding a service: a folder services/<name>/ (config.ts, files.ts, index.ts), one
 * line in sections.ts, one line here, and its stack files and tests; host scripts of its own in
 * services/<name>/scripts/, defined in services/<name>/scripts.ts and registered in services/scripts.ts.
 */
import type { ServiceDescriptor } from "./descriptor";
import { flink } from "./flink";
import { hdfs } from "./hdfs";
import { kerberos } from "./kerberos";
import { metastore } from "./metastore";
import { postgres } from "./postgres";
import { SERVICE_KEYS, serviceOfKind, ServiceKey, ServiceKind } from "./sections";
import { spark } from "./spark";
import { trino } from "./trino";

export const SERVICES: { readonly [K in ServiceKey]: ServiceDescriptor<K> } = { kerberos, postgres, hdfs, metastore, trino, spark, flink };

/** The descriptors in the sections' order (the start order's tie-break). */
export const DESCRIPTORS: readonly ServiceDescriptor[] = SERVICE_KEYS.map((k) => SERVICES[k] as unknown as ServiceDescriptor);

/** The descriptor of the service an instance kind belongs to. */
export const descriptorOf = (kind: ServiceKind): ServiceDescriptor => SERVICES[serviceOfKind(kind)] as unknown as ServiceDescriptor;

export * from "./sections";
export type * from "./descriptor";
