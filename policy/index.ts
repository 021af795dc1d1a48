/**
 * Guardrails for lakehouse-iac stacks: `pulumi preview --policy-pack policy [--policy-pack-config policy/<stack>.json]`.
 * The rules are pure functions in rules.ts (tested in tests/policy.test.ts against the real program's resources).
 */
import { PolicyPack, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as rules from "./rules";

function asResource(args: ResourceValidationArgs): rules.PolicyResource {
  return {
    type: args.type,
    name: args.name,
    props: args.props as Record<string, unknown>,
    opts: { additionalSecretOutputs: args.opts?.additionalSecretOutputs },
  };
}
const each = (check: (r: rules.PolicyResource) => string[]) => (args: ResourceValidationArgs, report: ReportViolation) => {
  for (const m of check(asResource(args))) report(m);
};

new PolicyPack("lakehouse-guardrails", {
  policies: [
    {
      name: "ssh-host-key-pinned",
      description: "Every remote command's SSH connection pins the host key. Mandatory; dev relaxes it to advisory in policy/dev.json.",
      enforcementLevel: "mandatory",
      validateResource: each(rules.hostKeyPinned),
    },
    {
      name: "ssh-no-password",
      description: "No SSH password authentication.",
      enforcementLevel: "mandatory",
      validateResource: each(rules.noPasswordAuth),
    },
    {
      name: "stdin-commands-are-silent",
      description: "A command that takes stdin logs nothing and marks stdout/stderr secret.",
      enforcementLevel: "mandatory",
      validateResource: each(rules.silentStdin),
    },
    {
      name: "no-credentials-in-command-text",
      description: "No literal that looks like a credential inside a command's text.",
      enforcementLevel: "mandatory",
      validateResource: each(rules.noCredentialLiterals),
    },
    {
      name: "no-data-loss-on-delete",
      description: "No delete command removes HDFS, PostgreSQL or metastore data unless the stack opted into purging.",
      enforcementLevel: "mandatory",
      configSchema: { properties: { allowPurge: { type: "boolean", default: false } } },
      validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const { allowPurge } = args.getConfig<{ allowPurge: boolean }>();
        for (const m of rules.noDataLossOnDelete(asResource(args), allowPurge)) report(m);
      },
    },
    {
      name: "hdfs-and-metastore-shape",
      description: "Exactly one NameNode and one metastore; dfs.replication not above the DataNode count.",
      enforcementLevel: "mandatory",
      validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const resources = args.resources.map((r) => ({ type: r.type, name: r.name, props: r.props as Record<string, unknown> }));
        for (const m of rules.clusterShape(resources)) report(m);
      },
    },
  ],
});
