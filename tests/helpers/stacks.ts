/** Stack files as tests see them: Pulumi.<stack>.yaml parsed, with a fake SSH key set as a secret. */
import { REPO_ROOT, stackFileValues } from "../../lib/stack-file";
import assert from "node:assert/strict";
import { ClusterConfig, ConfigError, validateConfig } from "../../lib/config";
import { Plan, buildPlan } from "../../lib/plan";
import type { Secrets } from "../../config-templates";

export const ROOT = REPO_ROOT;
export const FAKE_SSH_KEY = "-----FAKE KEY FOR TESTS-----";

/** The `lakehouse:*` values of a stack file, prefix stripped, plus the fake secret key. */
export function stackValues(name: string): Record<string, unknown> {
  const values = stackFileValues(name);
  values.sshPrivateKey = FAKE_SSH_KEY;
  return values;
}

export function loadStack(name: "dev" | "prod", patch?: (v: Record<string, any>) => void, secretKeys = ["sshPrivateKey"]): ClusterConfig {
  const values = structuredClone(stackValues(name));
  patch?.(values);
  return validateConfig({ values, secretKeys: new Set(secretKeys), stack: name });
}

export function planFor(name: "dev" | "prod", patch?: (v: Record<string, any>) => void, secretKeys?: string[]): Plan {
  return buildPlan(loadStack(name, patch, secretKeys));
}

export const FAKE_SECRETS: Secrets = {
  postgresPassword: "fakePgPassw0rdForGoldenTests000",
  trinoSharedSecret: "fakeTrinoSharedSecretForGoldenTests0000000000000000000000000000",
  sparkAuthSecret: "fakeSparkAuthSecretForGoldenTests00000000000000000000000000000000",
  trinoPasswords: { admin: "fakeTrinoAdminPassw0rd", "lakehouse-health": "fakeTrinoHealthPassw0rd" },
  hashKey: "fakeHashKeyForGoldenTests",
};

/** Validate dev patched by `patch`; return the problem list (fails the test if it validates). */
export function problems(patch: (v: Record<string, any>) => void, secretKeys = ["sshPrivateKey"]): string[] {
  const values = structuredClone(stackValues("dev"));
  patch(values);
  try {
    validateConfig({ values, secretKeys: new Set(secretKeys), stack: "dev" });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return e.problems;
  }
  assert.fail("config validated, but it should not have");
}
