/**
 * What Kerberos adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): the realm's address, and the principals each instance authenticates as.
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    /** With kerberos.enabled: the realm and where its KDCs and admin server answer. */
    kerberos?: { realm: string; kdcs: string[]; adminServer: string };
  }
  interface ServicePlan {
    /**
     * The Kerberos primaries the instance authenticates as (`nn`, `HTTP`), from its service's descriptor
     * (`principals`): with kerberos.enabled its user's keytab on its node holds `<primary>/<node>@<realm>` for each.
     */
    principals?: string[];
  }
}
