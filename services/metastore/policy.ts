/**
 * What the policy pack knows of the metastore: the Pulumi type tokens of the metastore's component, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them; and the rules that keep its data. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const METASTORE_TYPES = {
  HiveMetastore: "lakehouse:hive:HiveMetastore",
} as const;

export const metastorePolicy: ServicePolicy = {
  types: METASTORE_TYPES,
  destroyers: [
    [/\brm\s+(-[a-zA-Z-]*\s+)*[^\n;|&]*\/var\/lib\/hive\b/, "removes metastore data directories"],
    [/schematool\b[^\n]*-initSchema\b/, "initialises the metastore schema"],
  ],
  exactlyOne: [{ type: METASTORE_TYPES.HiveMetastore, plural: "metastores" }],
};
