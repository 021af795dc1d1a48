/**
 * Role groups, as Stackable's operators have them: some of a role's nodes, named, with settings of their own
 * and per-file overrides. Precedence, lowest first: the program's defaults, the section's own settings and
 * overrides, then the group's (its overrides merged key by key over the section's, file by file). A node is in
 * at most one group of a role; a node in none gets the section's settings.
 */
import { z } from "zod";
import { hostnameLabel } from "../lib/config/primitives";
import type { RuleContext } from "./descriptor";
import type { Role } from "./sections";

/** The schema of `<section>.<groupsKey>`: groups by name, each its nodes plus `fields` (all optional). */
export function roleGroupsSchema<F extends z.ZodRawShape>(fields: F) {
  const group = z.strictObject({
    /** Nodes with the group's role; a node belongs to at most one group. */
    nodes: z.array(z.string().regex(hostnameLabel, "expected a node name")).min(1, "a group needs at least one node"),
    ...fields,
  });
  return z
    .record(z.string(), group)
    .superRefine((groups, ctx) => {
      for (const name of Object.keys(groups))
        if (!/^[a-z][a-z0-9_-]{0,30}$/.test(name))
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: "expected a group name such as big (lowercase letters, digits, '-', '_')",
          });
    })
    .default({});
}

/** The group of `node`, with its name, or undefined. */
export function groupOf<G extends { nodes: readonly string[] }>(
  groups: Readonly<Record<string, G>>,
  node: string,
): { name: string; group: G } | undefined {
  const hit = Object.entries(groups).find(([, g]) => g.nodes.includes(node));
  return hit && { name: hit[0], group: hit[1] };
}

/** The membership rules of a role's groups (at `key`): every member exists and has `role`, and is in one group. */
export function groupProblems(
  key: string,
  groups: Readonly<Record<string, { nodes: readonly string[] }>>,
  role: Role,
  nodes: RuleContext["nodes"],
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [g, grp] of Object.entries(groups))
    grp.nodes.forEach((name, j) => {
      const at = `${key}.${g}.nodes[${j}]`;
      const node = nodes.find((n) => n.name === name);
      if (!node) problems.push(`${at}: no node named "${name}"`);
      else if (node.roles && !node.roles.includes(role)) problems.push(`${at}: ${name} has no role ${role}`);
      const prev = seen.get(name);
      if (prev !== undefined) problems.push(`${at}: ${name} is already in group ${prev}; a node belongs to one group`);
      else seen.set(name, g);
    });
  return problems;
}

/**
 * The value of `field` a node takes (its group's, else the section's) and the key that set it, for messages and
 * checks that name the key: `spark.workerGroups.wide.workerCores` or `spark.workerCores`.
 */
export function groupSetting<G extends { nodes: readonly string[] }, F extends keyof G & string, V>(
  section: string,
  groupsKey: string,
  groups: Readonly<Record<string, G>>,
  node: string,
  field: F,
  sectionValue: V,
): { key: string; value: Exclude<G[F], undefined> | V } {
  const g = groupOf(groups, node);
  const own = g?.group[field];
  return own !== undefined
    ? { key: `${section}.${groupsKey}.${g!.name}.${field}`, value: own as Exclude<G[F], undefined> }
    : { key: `${section}.${field}`, value: sectionValue };
}

/** Every group that sets `field`, as its key and value: `[trino.workerGroups.big.heap, "16g"]`. */
export function groupValues<G, F extends keyof G & string>(
  section: string,
  groupsKey: string,
  groups: Readonly<Record<string, G>>,
  field: F,
): Array<[key: string, value: Exclude<G[F], undefined>, group: G]> {
  return Object.entries(groups).flatMap(([name, g]) =>
    g[field] === undefined
      ? []
      : [[`${section}.${groupsKey}.${name}.${field}`, g[field] as Exclude<G[F], undefined>, g] as [string, Exclude<G[F], undefined>, G]],
  );
}
