/**
 * What the metastore adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): its Thrift address.
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    metastoreUri: string;
  }
}
