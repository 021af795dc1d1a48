/**
 * Writers for the three configuration formats, each through a library that escapes correctly:
 * - Hadoop-style XML (`<configuration><property>…`) through xmlbuilder2;
 * - Java .properties (Trino, Spark's spark-defaults.conf, which java.util.Properties reads) through
 *   properties-file's escapeKey/escapeValue, with non-ASCII as \uXXXX so ISO-8859-1 readers agree;
 * - YAML (Flink 1.19+ config.yaml) through yaml.
 */
import { create } from "xmlbuilder2";
import { escapeKey, escapeValue } from "properties-file/escape";
import { stringify } from "yaml";

export type Scalar = string | number | boolean;
export type Entries = Array<[string, Scalar]>;

/** Apply overrides: replace a key in place, append new keys in their order. */
export function withOverrides(entries: Entries, overrides: Record<string, Scalar> | undefined): Entries {
  if (!overrides) return entries;
  const out = entries.map(([k, v]): [string, Scalar] => [k, k in overrides ? overrides[k] : v]);
  for (const [k, v] of Object.entries(overrides)) if (!entries.some(([e]) => e === k)) out.push([k, v]);
  return out;
}

export function xmlConfiguration(entries: Entries, comment?: string): string {
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  if (comment) doc.com(` ${comment} `);
  const conf = doc.ele("configuration");
  for (const [k, v] of entries) conf.ele("property").ele("name").txt(k).up().ele("value").txt(String(v));
  return `${doc.end({ prettyPrint: true, indent: "  " })}\n`;
}

export function properties(entries: Entries, comment?: string): string {
  const head = comment ? `# ${comment}\n` : "";
  return head + entries.map(([k, v]) => `${escapeKey(k, true)}=${escapeValue(String(v), true)}`).join("\n") + "\n";
}

export function yamlDoc(obj: Record<string, unknown>, comment?: string): string {
  const head = comment ? `# ${comment}\n` : "";
  return head + stringify(obj, { lineWidth: 0 });
}

/** A shell assignment file (spark-env.sh): values single-quoted. */
export function shellEnv(entries: Entries, comment?: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const head = comment ? `# ${comment}\n` : "";
  return (
    head +
    entries
      .map(([k, v]) => {
        if (!/^[A-Z_][A-Z0-9_]*$/.test(k)) throw new Error(`not an environment variable name: ${k}`);
        return `export ${k}=${q(String(v))}`;
      })
      .join("\n") +
    "\n"
  );
}
