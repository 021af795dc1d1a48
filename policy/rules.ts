/**
 * The guardrails, as pure functions over what a policy sees: a resource's type, name, URN, inputs (`props`, secrets
 * in clear) and options. policy/policies.ts wires them into the pack; tests/policy.test.ts runs them over the
 * resources the real program registers. Messages name the resource and the rule, never a value. What a rule knows
 * of a service (its type tokens, what destroys its data, the stack's shape it needs) comes from the service's own
 * folder (services/<name>/policy.ts, listed in services/policies.ts): leaves the pack imports, the one copy.
 */
import { SERVICE_POLICIES } from "../services/policies";

export interface PolicyResource {
  type: string;
  name: string;
  /** `urn:pulumi:<stack>::<project>::<type>::<name>`; absent in hand-made test resources. */
  urn?: string;
  props: Record<string, unknown>;
  opts?: { additionalSecretOutputs?: string[] };
}

export const COMMAND = "command:remote:Command";
/** A command run where Pulumi runs: no SSH connection, but its text, stdin and delete matter the same way. */
export const LOCAL_COMMAND = "command:local:Command";
/** Stacks on which an unpinned host key is a mandatory violation; on every other stack it is advisory. */
export const STRICT_STACKS: readonly string[] = ["prod"];

/** The SSH rules look at remote commands only; the rules on what a command runs and takes look at both kinds. */
const isCommand = (r: PolicyResource) => r.type === COMMAND;
export const isAnyCommand = (type: string) => type === COMMAND || type === LOCAL_COMMAND;
/** A command with no create, update or delete runs nothing: it only records its inputs (e.g. a review manifest). */
export const runsNothing = (r: PolicyResource) =>
  ["create", "update", "delete"].every((f) => r.props[f] === undefined || r.props[f] === null);
const connection = (r: PolicyResource) => (r.props.connection ?? {}) as Record<string, unknown>;

/** The stack a URN belongs to (`urn:pulumi:<stack>::…`), or undefined if it is not a URN. */
export function stackOfUrn(urn: string | undefined): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn ?? "");
  return m ? m[1] : undefined;
}

export function isStrictStack(urn: string | undefined): boolean {
  const s = stackOfUrn(urn);
  return s !== undefined && STRICT_STACKS.includes(s);
}

/** Every remote connection pins the host's SSH key (without it, @pulumi/command trusts any host key). */
export function hostKeyPinned(r: PolicyResource): string[] {
  if (!isCommand(r)) return [];
  const key = connection(r).hostKey;
  return typeof key === "string" && /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) \S+/.test(key)
    ? []
    : [
        `${r.name}: the SSH connection does not pin the host key (set nodes[i].hostKey); without it any host answering on that address is trusted`,
      ];
}

/** No password authentication over SSH. */
export function noPasswordAuth(r: PolicyResource): string[] {
  if (!isCommand(r)) return [];
  const pw = connection(r).password;
  return pw !== undefined && pw !== null && pw !== "" ? [`${r.name}: the SSH connection authenticates with a password; use a key`] : [];
}

/**
 * A command that takes stdin (where secrets travel) logs nothing, keeps stdout/stderr secret and does not put its
 * previous output into the next run's environment. Whether stdin itself is marked secret cannot be checked: a
 * policy receives every input unwrapped. Exempt: a command that runs nothing (no create, update or delete, such
 * as the `*-review` local commands that only record a manifest in stdin): nothing reads its stdin, it has no
 * output and nothing to log, so it cannot leak.
 */
export function silentStdin(r: PolicyResource): string[] {
  if (!isAnyCommand(r.type) || r.props.stdin === undefined || r.props.stdin === null || runsNothing(r)) return [];
  const out: string[] = [];
  if (r.props.logging !== "none") out.push(`${r.name}: takes stdin but logging is not "none"; its output may carry what stdin carried`);
  const secretOut = r.opts?.additionalSecretOutputs ?? [];
  if (!secretOut.includes("stdout") || !secretOut.includes("stderr"))
    out.push(`${r.name}: takes stdin but does not mark stdout and stderr as secret outputs (additionalSecretOutputs)`);
  if (r.props.addPreviousOutputInEnv !== false)
    out.push(`${r.name}: takes stdin but addPreviousOutputInEnv is not false; the previous output would travel in the environment`);
  return out;
}

/** Patterns of credentials written into a command line. */
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, "a private key"],
  [/\bPGPASSWORD=(?!["']?\$)\S/, "a PGPASSWORD assignment"],
  // `ConnectionPassword=…`, `password: …`, `api_token=…`; a reference ($VAR, <placeholder>, {{…}}) is fine.
  [/(password|passwd|secret|token)\s*[=:]\s*["']?(?![$<{])[^\s"'$]{6,}/i, "a password/secret assignment"],
  [/\s-p(?!\s)[^\s'"$-][^\s'"]{5,}/, "an inline -p<password> argument"],
  [/\s(-u|--user)\s+["']?[^\s:'"]+:[^\s'"$]{4,}/, "user:password credentials"],
  [/[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]+:[^\s/@'"$]+@/i, "credentials inside a URL"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key"],
];

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let e = 0;
  for (const n of counts.values()) e -= (n / s.length) * Math.log2(n / s.length);
  return e;
}

/**
 * A URL's scheme, host, port and path: never a credential in itself (its user:password part is a
 * CREDENTIAL_PATTERNS entry). The user part, when there is one, stays in the text, as do the query and fragment,
 * so that a token passed as `user@`, `?token=…` or `?X-Amz-Signature=…` is still judged.
 */
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/(?:([^\s'"`/?#@]*)@)?[^\s'"`?#<>|;&()\\]*/gi;

/** `name.ext` or `dir/name.tar.gz`: the last dot-separated part is a file extension (1-10 lower-case letters/digits). */
const FILE_NAME_RE = /\.[a-z][a-z0-9]{0,9}$/;

/**
 * Long random-looking tokens (base64, base64url, base62 secrets): at least 24 characters mixing upper case, lower
 * case and digits, with high entropy (≥ 4.2 bits per character: random base64 of 32 characters is caught ~99% of
 * the time). Skipped: URLs (scheme, host and path: see URL_RE), file names (a word ending in `.tar.gz`, `.jar`…:
 * `OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz` mixes cases and digits and has high entropy), hex digests
 * (the SHA-256/SHA-512 hashes the commands carry), absolute paths, and SSH public keys (not secret). A word is
 * split on `.` (so `a.b.c` names and JWTs are judged part by part) and `=` separates words, so `NAME=value` is
 * judged on its value.
 */
export function highEntropyTokens(text: string): string[] {
  const found: string[] = [];
  const publicKey = /(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+)\s+$/;
  const scanned = text.replace(URL_RE, (_url, user: string | undefined) => ` ${user ?? ""} `);
  for (const w of scanned.matchAll(/[A-Za-z0-9+/_.-]{24,}/g)) {
    if (FILE_NAME_RE.test(w[0])) continue;
    if (publicKey.test(scanned.slice(Math.max(0, w.index - 24), w.index))) continue;
    for (const tok of w[0].split(".")) {
      if (tok.length < 24 || /^[0-9a-fA-F]+$/.test(tok) || tok.startsWith("/") || tok.includes("//")) continue;
      if (!/[A-Z]/.test(tok) || !/[a-z]/.test(tok) || !/[0-9]/.test(tok)) continue;
      if (entropy(tok) >= 4.2) found.push(tok);
    }
  }
  return found;
}

export function noCredentialLiterals(r: PolicyResource): string[] {
  if (!isAnyCommand(r.type)) return [];
  const out: string[] = [];
  for (const field of ["create", "update", "delete"]) {
    const text = r.props[field];
    if (typeof text !== "string") continue;
    for (const [re, what] of CREDENTIAL_PATTERNS) {
      if (re.test(text)) out.push(`${r.name}: its ${field} command text contains what looks like ${what}; pass secrets on stdin`);
    }
    const n = highEntropyTokens(text).length;
    if (n > 0)
      out.push(
        `${r.name}: its ${field} command text contains ${n} long random-looking token(s) that may be secrets; pass secrets on stdin`,
      );
  }
  return out;
}

/**
 * Paths and statements whose deletion loses data: each service's (services/<name>/policy.ts), then SQL's own
 * drops, which no one service owns.
 */
const DATA_DESTROYERS: ReadonlyArray<readonly [RegExp, string]> = [
  ...Object.values(SERVICE_POLICIES).flatMap((p) => p.destroyers ?? []),
  [/\bDROP\s+(DATABASE|SCHEMA|TABLE)\b/i, "drops a database, schema or table"],
];

/** Nothing a delete runs may destroy data, unless the stack opted into purging (policy config `allowPurge`). */
export function noDataLossOnDelete(r: PolicyResource, allowPurge: boolean): string[] {
  if (!isAnyCommand(r.type) || allowPurge) return [];
  const text = r.props.delete;
  if (typeof text !== "string") return [];
  return DATA_DESTROYERS.filter(([re]) => re.test(text)).map(
    ([, what]) => `${r.name}: its delete command ${what}; this stack has not opted into purging (allowPurge)`,
  );
}

/** What the services require of the stack's shape: a type there must be exactly one of, a count within another's. */
const EXACTLY_ONE = Object.values(SERVICE_POLICIES).flatMap((p) => p.exactlyOne ?? []);
const WITHIN = Object.values(SERVICE_POLICIES).flatMap((p) => p.within ?? []);

/**
 * Stack-wide, from what the services declare: one of each component they require exactly once (one NameNode, one
 * metastore), and each reported count within the components it counts (dfs.replication within the DataNodes).
 */
export function clusterShape(resources: PolicyResource[]): string[] {
  const out: string[] = [];
  for (const one of EXACTLY_ONE) {
    const n = resources.filter((r) => r.type === one.type).length;
    if (n !== 1) out.push(`the stack has ${n} ${one.plural} (${one.type}); exactly one is required`);
  }
  for (const w of WITHIN) {
    const counted = resources.filter((r) => r.type === w.of).length;
    for (const r of resources.filter((x) => x.type === w.type)) {
      const value = Number(r.props[w.prop]);
      if (!Number.isInteger(value) || value < 1) out.push(`${r.name}: ${w.what} does not report its ${w.setting} (output "${w.prop}")`);
      else if (value > counted) out.push(`${r.name}: ${w.setting} ${value} is more than the ${counted} ${w.ofPlural} in the stack`);
    }
  }
  return out;
}

/**
 * An error that reading a value unknown until apply raises: in a preview, @pulumi/policy hands a policy its
 * resources' inputs behind a proxy that throws its (internal) UnknownValueError on reading a value that depends on
 * another resource's outputs, and reports the policy as "can't run … during preview" for that resource instead of a
 * verdict. Recognised by its class name or its message, as the class is not exported.
 */
export function isUnknownValueError(e: unknown): boolean {
  return e instanceof Error && (e.constructor.name === "UnknownValueError" || / can't be known during preview$/.test(e.message));
}

/** What a preview could check: the commands it saw, and per check how many of them it could not judge. */
export interface PreviewCoverage {
  commands: number;
  /** Check name → commands the check could not judge (it read a value not known yet); only names with one or more. */
  unchecked: Record<string, number>;
}

/**
 * Runs each check over every remote and local command as its policy would, and counts per check the commands
 * where it stopped on a value not known yet (isUnknownValueError): the commands the engine reports as "can't run
 * … during preview" for that policy. Never throws: a check's other errors are not counted (its own policy reports
 * them), and reading a resource's type is safe (only props are behind the proxy).
 */
export function previewCoverage(
  resources: readonly PolicyResource[],
  checks: ReadonlyArray<readonly [name: string, check: (r: PolicyResource) => unknown]>,
): PreviewCoverage {
  const commands = resources.filter((r) => isAnyCommand(r.type));
  const unchecked: Record<string, number> = {};
  for (const [name, check] of checks) {
    let n = 0;
    for (const r of commands) {
      try {
        check(r);
      } catch (e) {
        if (isUnknownValueError(e)) n++;
      }
    }
    if (n > 0) unchecked[name] = n;
  }
  return { commands: commands.length, unchecked };
}

/**
 * The one advisory line a preview gets when some commands could not be checked (none when every check judged
 * every command, as at `pulumi up`): per check, how many of how many commands, and that `up` checks them.
 */
export function previewCoverageMessage(c: PreviewCoverage): string[] {
  const parts = Object.entries(c.unchecked).map(([name, n]) => `${name} could not check ${n} of the ${c.commands} commands`);
  if (parts.length === 0) return [];
  return [
    `in this preview ${parts.join("; ")}: what these policies read there (command text, stdin) is built from other ` +
      "resources' outputs and is not known until apply; `pulumi up` checks them before it runs them, and stops on a violation",
  ];
}
