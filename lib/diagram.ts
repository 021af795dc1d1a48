/**
 * A Mermaid diagram of a stack, generated from its plan: one subgraph per node with its address, the services
 * on it with their ports, and the dependencies that matter. Pure.
 */
import type { Plan, ServicePlan } from "./model";
import { descriptorOf } from "../services";
import { DIAGRAM_CLASSES, type DiagramClass } from "../services/descriptor";

const id = (s: ServicePlan) => `${s.kind}_${s.node}`.replace(/[^A-Za-z0-9_]/g, "_");

export function renderDiagram(plan: Plan, stack: string): string {
  const lines = [`%% Generated from Pulumi.${stack}.yaml by \`npm run diagram -- --stack ${stack}\`: do not edit by hand.`, "graph TB"];
  for (const n of plan.nodes) {
    lines.push(`    subgraph ${n.name.replace(/[^A-Za-z0-9_]/g, "_")}["${n.name}<br/>${n.host}"]`);
    for (const s of n.services) lines.push(`        ${id(s)}["${descriptorOf(s.kind).diagram.label(plan, s)}"]`);
    lines.push("    end");
  }
  // Each service draws its own arrows (services/<name>/index.ts diagram.edges), in start order.
  const edges: string[] = [];
  for (const s of plan.services)
    for (const e of descriptorOf(s.kind).diagram.edges?.(plan, s) ?? [])
      edges.push(`    ${id(s)} ${e.dashed ? "-.->" : "-->"}|${e.label}| ${id(e.to)}`);
  lines.push(...edges);
  // The colour classes (services/descriptor.ts), then each class's members.
  const classes = Object.entries(DIAGRAM_CLASSES) as Array<[DiagramClass, string]>;
  for (const [cls, style] of classes) lines.push(`    classDef ${cls} ${style}`);
  for (const [cls] of classes) {
    const members = plan.services.filter((s) => descriptorOf(s.kind).diagram.cls === cls).map(id);
    if (members.length) lines.push(`    class ${members.join(",")} ${cls}`);
  }
  return lines.join("\n") + "\n";
}
