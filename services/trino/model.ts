/**
 * What Trino adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): its address, and
 * each Trino instance's part (coordinator or worker, its group's resolved settings).
 */
import type { OverrideLayer } from "../../lib/model";

export interface TrinoInstance {
  coordinator: boolean;
  schedulesWork: boolean;
  nodeId: string;
  /** Its worker role group, if any (trino.workerGroups). */
  group?: string;
  /** Resolved: the group's value, else trino.*. */
  heap: string;
  queryMaxMemoryPerNode: string;
  /** Override layers, lowest precedence first: trino.overrides, then the group's. */
  overrides: OverrideLayer[];
}

declare module "../../lib/model" {
  interface Endpoints {
    /** Absent while Trino is switched off. */
    trinoUrl?: string;
  }
  interface ServicePlan {
    /** For Trino: this instance is the coordinator; `schedulesWork`: it also runs tasks. */
    trino?: TrinoInstance;
  }
}
