/**
 * What the policy pack knows of Trino: the Pulumi type tokens of Trino's components, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const TRINO_TYPES = {
  Coordinator: "lakehouse:trino:Coordinator",
  Worker: "lakehouse:trino:Worker",
} as const;

export const trinoPolicy: ServicePolicy = {
  types: TRINO_TYPES,
};
