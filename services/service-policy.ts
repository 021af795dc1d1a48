/**
 * What a service tells the policy pack (policy/, which the engine runs on its own): its Pulumi type tokens and the
 * rules that keep its data. Each service writes its part in services/<name>/policy.ts, a leaf (it imports nothing
 * but this file's types), so that the pack imports the one copy the program uses; services/policies.ts lists them.
 */

/** A component type the stack must have exactly one of (while HA is not built), as messages name it. */
export interface ExactlyOne {
  type: string;
  /** "NameNodes" */
  plural: string;
}

/**
 * A count a component reports as an output (`prop`) that may not exceed how many components of another type the
 * stack has (dfs.replication within the DataNodes).
 */
export interface WithinCount {
  /** The component that reports the count, as messages name it ("the NameNode"). */
  type: string;
  what: string;
  /** Its output holding the count, and the setting it stands for ("dfs.replication"). */
  prop: string;
  setting: string;
  /** The components counted, as messages name them ("DataNodes"). */
  of: string;
  ofPlural: string;
}

export interface ServicePolicy {
  /** Its components' type tokens, by component (the one place they are written). */
  types: Readonly<Record<string, string>>;
  /** What no delete command may run unless the stack opted into purging: a pattern, and what it does. */
  destroyers?: ReadonlyArray<readonly [RegExp, string]>;
  exactlyOne?: readonly ExactlyOne[];
  within?: readonly WithinCount[];
}
