/**
 * What the policy pack knows of Spark: the Pulumi type tokens of Spark's components, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const SPARK_TYPES = {
  Master: "lakehouse:spark:Master",
  Worker: "lakehouse:spark:Worker",
} as const;

export const sparkPolicy: ServicePolicy = {
  types: SPARK_TYPES,
};
