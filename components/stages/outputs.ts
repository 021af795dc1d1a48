/** The outputs stage: what the Lakehouse component registers as its outputs. */
import type { Endpoints, Plan } from "../../lib/plan";

/** The component's registered outputs: the endpoints users connect to (the stack's outputs are index.ts's). */
export const lakehouseOutputs = (plan: Plan): { endpoints: Endpoints } => ({ endpoints: plan.endpoints });
