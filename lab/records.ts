/**
 * What the engine's step records (lab/stack.ts, from its events) say about an apply: wall time, the longest
 * chain of dependent steps, the slowest steps. Only steps that ran count (not `same`, not review steps that
 * run nothing).
 */
import type { StepRecord } from "./stack";

/** Steps that did work on a host or in the engine. */
export const ranSteps = (steps: StepRecord[]): StepRecord[] =>
  steps.filter((s) => s.op !== "same" && s.op !== "read" && /^(command|random):/.test(s.type) && !/-review$/.test(s.name));

export interface ApplyStats {
  steps: number;
  wallSeconds: number;
  criticalPathSeconds: number;
  /** The steps on the longest chain, first to last. */
  criticalPath: string[];
  slowest: Array<{ name: string; seconds: number }>;
}

export function applyStats(steps: StepRecord[]): ApplyStats {
  const ran = ranSteps(steps);
  const byUrn = new Map<string, StepRecord>();
  for (const s of ran) byUrn.set(s.urn, s);
  const dur = (s: StepRecord) => (s.end - s.start) / 1000;
  // Longest chain ending at each step: its own duration plus the longest chain among the steps it depends on.
  const memo = new Map<string, { total: number; path: string[] }>();
  const longest = (s: StepRecord): { total: number; path: string[] } => {
    const hit = memo.get(s.urn);
    if (hit) return hit;
    let best = { total: 0, path: [] as string[] };
    for (const d of s.dependencies) {
      const dep = byUrn.get(d);
      if (dep && dep !== s) {
        const r = longest(dep);
        if (r.total > best.total) best = r;
      }
    }
    const out = { total: best.total + dur(s), path: [...best.path, s.name] };
    memo.set(s.urn, out);
    return out;
  };
  let crit = { total: 0, path: [] as string[] };
  for (const s of ran) {
    const r = longest(s);
    if (r.total > crit.total) crit = r;
  }
  const start = Math.min(...ran.map((s) => s.start));
  const end = Math.max(...ran.map((s) => s.end));
  return {
    steps: ran.length,
    wallSeconds: ran.length ? (end - start) / 1000 : 0,
    criticalPathSeconds: crit.total,
    criticalPath: crit.path,
    slowest: [...ran]
      .sort((a, b) => dur(b) - dur(a))
      .slice(0, 10)
      .map((s) => ({ name: s.name, seconds: Math.round(dur(s) * 10) / 10 })),
  };
}
