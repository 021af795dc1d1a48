/**
 * The guardrails, as pure functions over what a policy sees (a resource's type, name, inputs and options).
 * policy/index.ts wires them into a Pulumi policy pack; tests/policy.test.ts runs them over the resources the
 * real program registers. Messages name the resource and the rule, never a value: policies see secrets in clear.
 */

export interface PolicyResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts?: { additionalSecretOutputs?: string[] };
}

const COMMAND = "command:remote:Command";
const isCommand = (r: PolicyResource) => r.type === COMMAND;
const connection = (r: PolicyResource) => (r.props.connection ?? {}) as Record<string, unknown>;

/** Every remote connection pins the host's SSH key. */
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
  return connection(r).password !== undefined && connection(r).password !== ""
    ? [`${r.name}: the SSH connection authenticates with a password; use a key`]
    : [];
}

/** A command that takes stdin (where secrets travel) logs nothing and keeps its output secret. */
export function silentStdin(r: PolicyResource): string[] {
  if (!isCommand(r) || r.props.stdin === undefined) return [];
  const out: string[] = [];
  if (r.props.logging !== "none") out.push(`${r.name}: takes stdin but logging is not "none"; its output may carry what stdin carried`);
  const secretOut = r.opts?.additionalSecretOutputs ?? [];
  if (!secretOut.includes("stdout") || !secretOut.includes("stderr"))
    out.push(`${r.name}: takes stdin but does not mark stdout and stderr as secret outputs`);
  return out;
}

/** Patterns of credentials written into a command line. SHA-256 digests (64 hex) are expected there. */
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\bPGPASSWORD=(?!["']?\$)\S/, "a PGPASSWORD assignment"],
  [/\b(password|passwd|secret|token)\s*[=:]\s*["']?(?![$<{])[^\s"'$]{6,}/i, "a password/secret assignment"],
  [/\s-p(?!\s)[^\s'"]{6,}/, "an inline -p<password> argument"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key"],
];

export function noCredentialLiterals(r: PolicyResource): string[] {
  if (!isCommand(r)) return [];
  const out: string[] = [];
  for (const field of ["create", "update", "delete"]) {
    const text = r.props[field];
    if (typeof text !== "string") continue;
    for (const [re, what] of CREDENTIAL_PATTERNS) {
      if (re.test(text)) out.push(`${r.name}: its ${field} command text contains what looks like ${what}; pass secrets on stdin`);
    }
  }
  return out;
}

/** Paths and statements whose deletion loses data. */
const DATA_DESTROYERS: Array<[RegExp, string]> = [
  [/\brm\s+(-[a-zA-Z]*\s+)*[^\n;|&]*\/(hadoop-hdfs|hdfs|namenode|datanode|dfs)\b/, "removes HDFS metadata or block directories"],
  [/\brm\s+(-[a-zA-Z]*\s+)*[^\n;|&]*\/var\/lib\/postgresql\b/, "removes PostgreSQL's data directory"],
  [/\b(dropdb|pg_dropcluster)\b/, "drops a PostgreSQL database or cluster"],
  [/\bDROP\s+(DATABASE|SCHEMA)\b/i, "drops a database or schema"],
  [/\bhdfs\s+dfs\s+-rm\b|\bhadoop\s+fs\s+-rm\b/, "removes files from HDFS"],
  [/\bnamenode\s+-format\b/, "formats the NameNode"],
  [/schematool\b[^\n]*-initSchema\b/, "initialises the metastore schema"],
];

export function noDataLossOnDelete(r: PolicyResource, allowPurge: boolean): string[] {
  if (!isCommand(r) || allowPurge) return [];
  const text = r.props.delete;
  if (typeof text !== "string") return [];
  return DATA_DESTROYERS.filter(([re]) => re.test(text)).map(
    ([, what]) => `${r.name}: its delete command ${what}; this stack has not opted into purging (allowPurge)`,
  );
}

/** Stack-wide: one NameNode, one metastore, replication within the DataNode count. */
export function clusterShape(resources: PolicyResource[]): string[] {
  const out: string[] = [];
  const count = (t: string) => resources.filter((r) => r.type === t).length;
  const nn = resources.filter((r) => r.type === "lakehouse:hdfs:NameNode");
  if (nn.length !== 1) out.push(`the stack has ${nn.length} NameNodes (lakehouse:hdfs:NameNode); exactly one is required`);
  const ms = count("lakehouse:hive:HiveMetastore");
  if (ms !== 1) out.push(`the stack has ${ms} metastores (lakehouse:hive:HiveMetastore); exactly one is required`);
  const dataNodes = count("lakehouse:hdfs:DataNode");
  for (const n of nn) {
    const replication = Number(n.props.replication);
    if (Number.isFinite(replication) && replication > dataNodes)
      out.push(`${n.name}: dfs.replication ${replication} is more than the ${dataNodes} DataNodes in the stack`);
  }
  return out;
}
