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
export const port = z.number().int().min(1).max(65535);
/** JVM heap sizes as in -Xmx: 512m, 4g. */
export const heap = z.string().regex(/^[1-9]\d*[mMgG]$/, "expected a JVM size such as 512m or 4g");
export const userName = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "expected a Linux user or group name");
/**
 * A value that `pulumi config set --path` may store as a number (`trino.java 25`, `artifacts.trino.version
 * 436`, `environment 2024`) but that the program uses as a string: numbers are coerced, then checked.
 */
export const stringish = <T extends z.ZodType<string>>(s: T) => z.preprocess((v) => (typeof v === "number" ? String(v) : v), s);
/** A Debian package name as apt takes it: never starting with '-', so a value cannot become an apt option. */
export const debPackage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]+$/, "expected a Debian package name (lowercase letters, digits, '+', '-', '.'; not starting with '-')");
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;
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
