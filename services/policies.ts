/**
 * Every service's part of the policy pack (services/<name>/policy.ts), by config key. A leaf registry: it and the
 * files it lists import nothing but types, so the pack (policy/, run by the engine on its own) reads the services'
 * type tokens and data rules from the same files the program does. tests/policy.test.ts checks that it lists every
 * service of services/sections.ts.
 */
import { flinkPolicy } from "./flink/policy";
import { hdfsPolicy } from "./hdfs/policy";
import { kerberosPolicy } from "./kerberos/policy";
import { metastorePolicy } from "./metastore/policy";
import { postgresPolicy } from "./postgres/policy";
import type { ServicePolicy } from "./service-policy";
import { sparkPolicy } from "./spark/policy";
import { trinoPolicy } from "./trino/policy";

export const SERVICE_POLICIES: Readonly<Record<string, ServicePolicy>> = {
  kerberos: kerberosPolicy,
  postgres: postgresPolicy,
  hdfs: hdfsPolicy,
  metastore: metastorePolicy,
  trino: trinoPolicy,
  spark: sparkPolicy,
  flink: flinkPolicy,
};

export type { ServicePolicy } from "./service-policy";
