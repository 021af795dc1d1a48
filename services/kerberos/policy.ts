/**
 * What the policy pack knows of Kerberos: the Pulumi type tokens of Kerberos's components, written here only (its
 * component classes, its descriptor and the pack read them): part of the URN of each component and of everything
 * under it, so a changed token makes Pulumi replace them. A leaf: the pack imports it.
 */
import type { ServicePolicy } from "../service-policy";

export const KERBEROS_TYPES = {
  Kdc: "lakehouse:kerberos:Kdc",
  Client: "lakehouse:kerberos:Client",
} as const;

export const kerberosPolicy: ServicePolicy = {
  types: KERBEROS_TYPES,
};
