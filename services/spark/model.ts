/**
 * What Spark adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): its master's addresses (absent while Spark is switched off).
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    sparkMasterUrl?: string;
    sparkMasterUi?: string;
  }
}
