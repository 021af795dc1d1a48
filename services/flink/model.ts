/**
 * What Flink adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): its JobManager's web address (absent while Flink is switched off).
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    flinkUi?: string;
  }
}
