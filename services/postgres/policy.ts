/**
 * What the policy pack knows of PostgreSQL: the Pulumi type tokens of PostgreSQL's component, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them; and the rules that keep its data. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const POSTGRES_TYPES = {
  MetastoreDatabase: "lakehouse:postgres:MetastoreDatabase",
} as const;

export const postgresPolicy: ServicePolicy = {
  types: POSTGRES_TYPES,
  destroyers: [
    [/\brm\s+(-[a-zA-Z-]*\s+)*[^\n;|&]*\/var\/lib\/postgresql\b/, "removes PostgreSQL data directories"],
    [/\b(dropdb|pg_dropcluster)\b/, "drops a PostgreSQL database or cluster"],
  ],
};
