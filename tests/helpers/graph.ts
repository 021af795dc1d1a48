/** The program's resource graph under mocks (lab/mock-program.ts): finding a resource, following dependencies. */
import assert from "node:assert/strict";
import type { ProgramResult, ResourceRecord } from "../../lab/mock-program";

export const find = (r: ProgramResult, name: string): ResourceRecord => {
  const x = r.resources.find((y) => y.name === name);
  assert.ok(x, `no resource named ${name}`);
  return x;
};

/** All URNs `urn` depends on, directly or through its dependencies. */
export function closure(r: ProgramResult, urn: string): Set<string> {
  const deps = new Map(r.resources.map((x) => [x.urn, x.dependencies]));
  const seen = new Set<string>();
  const stack = [...(deps.get(urn) ?? [])];
  while (stack.length) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    stack.push(...(deps.get(u) ?? []));
  }
  return seen;
}

/** Resource `a` waits for `b`, directly or through others. */
export const dependsOn = (r: ProgramResult, a: string, b: string): boolean => closure(r, find(r, a).urn).has(find(r, b).urn);
