/**
 * The pack's policies: the rules of rules.ts wired to what @pulumi/policy passes a validation. Kept apart from
 * index.ts (which serves them) so that tests can call each validateResource/validateStack with crafted arguments.
 */
import type { Policies, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as rules from "./rules";

export const PACK_NAME = "lakehouse-guardrails";

function asResource(args: ResourceValidationArgs): rules.PolicyResource {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    props: args.props,
    opts: { additionalSecretOutputs: args.opts?.additionalSecretOutputs },
  };
}

/**
 * A resource policy that reports every message a rule returns (the engine attaches the resource's URN). Only
 * commands reach a rule; the SSH rules then look at remote commands only, the others at local ones too.
 */
const each =
  (check: (r: rules.PolicyResource) => string[], when: (args: ResourceValidationArgs) => boolean = () => true) =>
  (args: ResourceValidationArgs, report: ReportViolation) => {
    if (!rules.isAnyCommand(args.type) || !when(args)) return;
    for (const m of check(asResource(args))) report(m);
  };

export const policies: Policies = [
  // One rule, two policies: an unpinned host key fails `prod` (mandatory) and only warns elsewhere (advisory).
  // The stack comes from the resource's URN, so the verdict needs no per-stack config and is the same in CI and
  // on a laptop; a policy config file can still change either level.
  {
    name: "ssh-host-key-pinned",
    description: `Every remote command pins its SSH host key (stacks: ${rules.STRICT_STACKS.join(", ")}).`,
    enforcementLevel: "mandatory",
    validateResource: each(rules.hostKeyPinned, (a) => rules.isStrictStack(a.urn)),
  },
  {
    name: "ssh-host-key-pinned-advisory",
    description: `Every remote command should pin its SSH host key (stacks other than ${rules.STRICT_STACKS.join(", ")}).`,
    enforcementLevel: "advisory",
    validateResource: each(rules.hostKeyPinned, (a) => !rules.isStrictStack(a.urn)),
  },
  {
    name: "ssh-no-password",
    description: "No SSH password authentication.",
    enforcementLevel: "mandatory",
    validateResource: each(rules.noPasswordAuth),
  },
  {
    name: "stdin-commands-are-silent",
    description:
      "A command that takes stdin logs nothing, marks stdout/stderr secret and keeps its previous output out of the environment.",
    enforcementLevel: "mandatory",
    validateResource: each(rules.silentStdin),
  },
  {
    name: "no-credentials-in-command-text",
    description: "No literal that looks like a credential inside a command's create/update/delete text.",
    enforcementLevel: "mandatory",
    validateResource: each(rules.noCredentialLiterals),
  },
  {
    name: "no-data-loss-on-delete",
    description: "No delete command removes HDFS, PostgreSQL or metastore data unless the stack opted into purging (allowPurge).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowPurge: { type: "boolean", default: false } } },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!rules.isAnyCommand(args.type)) return;
      const allowPurge = args.getConfig<{ allowPurge?: boolean }>().allowPurge === true;
      for (const m of rules.noDataLossOnDelete(asResource(args), allowPurge)) report(m);
    },
  },
  {
    name: "hdfs-and-metastore-shape",
    description: "Exactly one NameNode and one metastore; dfs.replication not above the DataNode count.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const resources = args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props }));
      for (const m of rules.clusterShape(resources)) report(m);
    },
  },
];
