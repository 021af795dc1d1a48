/**
 * What Kerberos adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): the realm's address.
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    /** With kerberos.enabled: the realm and where its KDCs and admin server answer. */
    kerberos?: { realm: string; kdcs: string[]; adminServer: string };
  }
}
