/**
 * The pack's policies: the rules of rules.ts wired to what @pulumi/policy passes a validation. Kept apart from
 * index.ts (which serves them) so that tests can call each validateResource/validateStack with crafted arguments.
 */
import type { Policies, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs } from "@pulumi/policy";
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

const resourcePolicies: ResourceValidationPolicy[] = [
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
    description:
      "No delete command destroys data a service keeps (what each service declares) unless the stack opted into purging (allowPurge).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowPurge: { type: "boolean", default: false } } },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!rules.isAnyCommand(args.type)) return;
      const allowPurge = args.getConfig<{ allowPurge?: boolean }>().allowPurge === true;
      for (const m of rules.noDataLossOnDelete(asResource(args), allowPurge)) report(m);
    },
  },
];

/**
 * What each mandatory resource policy runs on a command, called as the engine calls it (its own validateResource,
 * default config: `allowPurge` false), for preview-coverage to count the commands it cannot judge yet.
 */
const mandatoryChecks = resourcePolicies
  .filter((p) => p.enforcementLevel === "mandatory")
  .map((p) => {
    const check = (r: rules.PolicyResource) => {
      const args = {
        type: r.type,
        name: r.name,
        urn: r.urn ?? "",
        props: r.props,
        opts: { additionalSecretOutputs: r.opts?.additionalSecretOutputs ?? [] },
        getConfig: <T>() => ({}) as T,
      } as unknown as ResourceValidationArgs;
      for (const validate of [p.validateResource ?? []].flat()) void validate(args, () => undefined);
    };
    return [p.name, check] as const;
  });

export const policies: Policies = [
  ...resourcePolicies,
  {
    // What the services require of the stack's shape (services/<name>/policy.ts): today one NameNode, one metastore,
    // and dfs.replication not above the DataNode count. Called hdfs-and-metastore-shape before 0.2.
    name: "cluster-shape",
    description: "The stack's shape the services require: one of each single component, each replication count within what it counts.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const resources = args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props }));
      for (const m of rules.clusterShape(resources)) report(m);
    },
  },
  // In a preview, a command whose text or stdin is built from another resource's outputs is not known yet: the
  // engine reports "can't run policy … during preview" for it (advisory, one line per command and policy) instead of
  // a verdict. This says once, in numbers, how much of the stack the mandatory policies could not check yet.
  {
    name: "preview-coverage",
    description: "Says how many commands a preview could not check because their text is not known until apply (pulumi up checks them).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const resources = args.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        opts: { additionalSecretOutputs: r.opts?.additionalSecretOutputs },
      }));
      for (const m of rules.previewCoverageMessage(rules.previewCoverage(resources, mandatoryChecks))) report(m);
    },
  },
];
