/**
 * Building blocks of the stack schema: the value types every section uses (paths, ports, sizes, user and
 * package names, numbers stored as strings) and per-file overrides. Pure zod, no Pulumi.
 */
import { z } from "zod";

export const hostnameLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const sshPublicKey = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( .*)?$/;
export const absPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._\-/]*$/, "expected an absolute path of letters, digits, '.', '_', '-' and '/'")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'");
/**
 * Why an IPv4 address cannot be a cluster node's, or undefined when it can: the ranges that never name one
 * remote machine (RFC 6890's special-purpose registry). A node's host is what Pulumi dials over SSH and what
 * every other node, pg_hba and the health checks use for it, so it must be one machine's own, routable address.
 */
export function nodeAddressProblem(host: string): string | undefined {
  if (!ipv4.test(host)) return undefined; // the format check reports it
  const [a, b] = host.split(".").map(Number);
  if (host === "0.0.0.0")
    return "0.0.0.0 is the unspecified address (to a server it means every interface), not a machine; give the node's own address";
  if (a === 0) return `${host} is in 0.0.0.0/8 ("this network"), which no host may use as its address; give the node's own address`;
  if (a === 127)
    return `${host} is a loopback address (127.0.0.0/8): it reaches the machine that runs Pulumi, not a cluster node (and, on each node, itself)`;
  if (a === 169 && b === 254)
    return `${host} is a link-local address (169.254.0.0/16): self-assigned and not routed, so the other nodes may not reach it; give the node's configured address`;
  if (a >= 224 && a <= 239) return `${host} is a multicast address (224.0.0.0/4): it names a group of receivers, not one node`;
  if (host === "255.255.255.255") return "255.255.255.255 is the broadcast address: it reaches every host on the link, not one node";
  if (a >= 240) return `${host} is in the reserved range 240.0.0.0/4, which is not assigned to hosts`;
  return undefined;
}
export const port = z.number().int().min(1).max(65535);
/**
 * A size string refused when it is zero ("0m", "0GB", "000g"): a zero heap or memory limit is never what was
 * meant, and the process it reaches would fail to start (or, for Trino's query limits, kill every query).
 */
export const nonZeroSize = <T extends z.ZodType<string>>(s: T, example: string) =>
  s.superRefine((v, ctx) => {
    if (parseSize(v) === 0) ctx.addIssue({ code: "custom", message: `${v} is zero; give a size such as ${example}` });
  });
/** JVM heap sizes as in -Xmx: 512m, 4g; never zero. */
export const heap = nonZeroSize(z.string().regex(/^\d+[mMgG]$/, "expected a JVM size such as 512m or 4g"), "512m or 4g");
export const userName = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "expected a Linux user or group name");
/**
 * A value that `pulumi config set --path` may store as a number (`trino.java 25`, `artifacts.trino.version
 * 436`, `environment 2024`) but that the program uses as a string: numbers are coerced, then checked.
 */
export const stringish = <T extends z.ZodType<string>>(s: T) => z.preprocess((v) => (typeof v === "number" ? String(v) : v), s);
/** A Java major version (17, 21): a key under `java`. */
export const javaMajor = z.string().regex(/^\d{1,2}$/, "expected a Java major version such as 17");
/** A section's `java`: the JDK (a key under `java`) it runs on, given as a number or a string. */
export const javaKey = stringish(javaMajor);
/** A Debian package name as apt takes it: never starting with '-', so a value cannot become an apt option. */
export const debPackage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]+$/, "expected a Debian package name (lowercase letters, digits, '+', '-', '.'; not starting with '-')");
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;
/**
 * XML markup in an override value: a tag, closing tag, comment, CDATA or declaration (`<` then a letter, `/`,
 * `!` or `?`), or the end of a CDATA section. A value like that would close the <value> it is written into (the
 * XML renderers escape, but a value meant as markup is a mistake or an injection either way). A lone `<` as in
 * `a < b` stays allowed.
 */
export const XML_MARKUP = /<[A-Za-z/!?]|\]\]>/;
/**
 * Shell command substitution in an override value: `$(` or a backtick. Override values end up in files that
 * launch scripts read (JVM options in config.yaml and spark-defaults.conf among them), where a substitution that
 * reaches a shell runs a command; no setting needs one. `${name}` stays allowed: it is Hadoop's own variable
 * expansion in its XML files (`${hadoop.tmp.dir}/dfs/name`), which runs nothing.
 */
export const COMMAND_SUBSTITUTION = /\$\(|`/;
export const overrideValues = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]));
/**
 * Per-file overrides: only the files that a section renders are allowed, so a typo fails loudly. Keys and values
 * with a newline or control character are refused here (the renderers would refuse them too, but only after
 * resources exist). `owned` lists, per file, keys the program sets or checks itself, with what to set instead:
 * an override of one of them would silently bypass that check or break what the program relies on.
 */
export function overridesFor<const F extends string>(files: readonly F[], owned: Partial<Record<F, Record<string, string>>>) {
  const shape = Object.fromEntries(files.map((f) => [f, overrideValues.optional()])) as {
    [K in F]: z.ZodOptional<typeof overrideValues>;
  };
  const obj = z.strictObject(shape).superRefine((o, ctx) => {
    for (const [file, map] of Object.entries(o) as Array<[F, Record<string, string | number | boolean> | undefined]>) {
      for (const [k, v] of Object.entries(map ?? {})) {
        if (CONTROL_CHARS.test(k)) {
          ctx.addIssue({ code: "custom", path: [file], message: `key ${JSON.stringify(k)} contains a newline or control character` });
          continue;
        }
        if (typeof v === "string" && CONTROL_CHARS.test(v))
          ctx.addIssue({ code: "custom", path: [file, k], message: "contains a newline or control character" });
        else if (typeof v === "string" && XML_MARKUP.test(v))
          ctx.addIssue({ code: "custom", path: [file, k], message: "contains XML markup; overrides take plain values" });
        else if (typeof v === "string" && COMMAND_SUBSTITUTION.test(v))
          ctx.addIssue({
            code: "custom",
            path: [file, k],
            message: "contains shell command substitution ($( or a backtick); overrides take plain values",
          });
        const instead = owned[file]?.[k];
        if (instead !== undefined) ctx.addIssue({ code: "custom", path: [file, k], message: `set by the program; ${instead}` });
      }
    }
  });
  return obj.prefault({} as z.input<typeof obj>);
}

/** Sizes as JVM flags and Trino write them: 1536m, 4g, 512MB, 1GB. In bytes; NaN when not a size. */
export function parseSize(s: string): number {
  const m = /^(\d+)\s*([kmgt])b?$/i.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * 1024 ** ("kmgt".indexOf(m[2].toLowerCase()) + 1);
}

/**
 * The least heap any JVM service here is given (HDFS daemons, the metastore, Spark's daemons). None of them
 * documents a hard minimum (the JVM's own is 2m); 128m is a conservative floor below which these daemons cannot
 * hold their own classes and caches, and the same as Flink's recommended minimum JVM heap
 * (JobManagerOptions.MIN_JVM_HEAP_SIZE).
 */
export const JVM_MIN_HEAP = 128 * 1024 ** 2;

/** `1g` for 1 GiB, `704m` for 704 MiB: a byte count as the messages show a minimum. */
export function formatSize(bytes: number): string {
  const mib = bytes / 1024 ** 2;
  return mib % 1024 === 0 ? `${mib / 1024}g` : `${Math.ceil(mib)}m`;
}

/**
 * The problem of a memory size below what its process can start with, naming the key and the minimum; undefined
 * when it is enough (or not a size: its schema reports that).
 */
export function belowMinimum(key: string, value: string, min: number, why: string): string | undefined {
  const v = parseSize(value);
  return v < min ? `${key}: ${value} is below the minimum of ${formatSize(min)} (${why})` : undefined;
}
