/**
 * Guardrails for lakehouse-iac stacks, served to the Pulumi engine: `pulumi preview --policy-pack policy`.
 * The policies are in policies.ts, their rules in rules.ts (both tested in tests/policy.test.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { policies });
