/**
 * What the policy pack knows of Flink: the Pulumi type tokens of Flink's components, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const FLINK_TYPES = {
  JobManager: "lakehouse:flink:JobManager",
  TaskManager: "lakehouse:flink:TaskManager",
} as const;

export const flinkPolicy: ServicePolicy = {
  types: FLINK_TYPES,
};
