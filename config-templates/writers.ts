/**
 * Writers for the configuration formats, each through a library that escapes correctly:
 * - Hadoop-style XML (`<configuration><property><name/><value/></property>…`) through xmlbuilder2;
 * - Java .properties (Trino's files; Spark's spark-defaults.conf, which Spark loads with
 *   java.util.Properties) through properties-file's escapeKey/escapeValue, non-ASCII as \uXXXX so that
 *   readers using ISO-8859-1 streams (Trino's airlift) agree with UTF-8 readers (Spark);
 * - YAML (Flink 1.19+ config.yaml, standard YAML) through yaml;
 * - shell assignments (spark-env.sh), single-quoted.
 * Entries keep the order the renderers give them (grouped by meaning), so goldens are stable.
 */
import { create } from "xmlbuilder2";
import { escapeKey, escapeValue } from "properties-file/escape";
import { stringify } from "yaml";
import { shq } from "../lib/shell";

export type Scalar = string | number | boolean;
export type Entries = Array<[string, Scalar]>;

/** Apply overrides last: an override replaces a key in place, new keys are appended in their order. */
export function withOverrides(entries: Entries, overrides: Record<string, Scalar> | undefined): Entries {
  if (!overrides) return entries;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(overrides, k);
  const out = entries.map(([k, v]): [string, Scalar] => [k, has(k) ? overrides[k] : v]);
  for (const [k, v] of Object.entries(overrides)) if (!entries.some(([e]) => e === k)) out.push([k, v]);
  return out;
}

/** Characters XML 1.0 cannot carry at all, escaped or not. */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const commentLines = (comment: string | undefined, lead: string) =>
  comment
    ? comment
        .split("\n")
        .map((l) => `${lead}${l}`.trimEnd() + "\n")
        .join("")
    : "";

export function xmlConfiguration(entries: Entries, comment?: string): string {
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  if (comment) doc.com(` ${comment.replace(/--/g, "- -")} `);
  const conf = doc.ele("configuration");
  for (const [k, v] of entries) {
    const value = String(v);
    if (XML_INVALID.test(k) || XML_INVALID.test(value)) throw new Error(`${k}: contains a character XML cannot represent`);
    conf.ele("property").ele("name").txt(k).up().ele("value").txt(value);
  }
  return `${doc.end({ prettyPrint: true, indent: "  " })}\n`;
}

export function properties(entries: Entries, comment?: string): string {
  return commentLines(comment, "# ") + entries.map(([k, v]) => `${escapeKey(k, true)}=${escapeValue(String(v), true)}\n`).join("");
}

/**
 * A .properties file that is also read by a naive `key=value` parser, `reader` (Trino's bin/launcher reads
 * node.properties with split('=') and passes the values on as -D options): refuses any key or value that
 * would need escaping, since that parser would not undo it, naming the reader.
 */
export function plainProperties(entries: Entries, reader: string, comment?: string): string {
  for (const [k, v] of entries) {
    if (escapeKey(k, true) !== k || escapeValue(String(v), true) !== String(v) || String(v) !== String(v).trim())
      throw new Error(`${k}=${String(v)}: characters that need escaping are not allowed here (${reader} reads this file naively)`);
  }
  return properties(entries, comment);
}

export function yamlDoc(obj: Record<string, unknown>, comment?: string): string {
  return commentLines(comment, "# ") + stringify(obj, { lineWidth: 0 });
}

/** Quote a word for POSIX sh: the project's one quoting function (lib/shell.ts). */
export { shq as shQuote } from "../lib/shell";

/** A shell assignment file (spark-env.sh): every value single-quoted. */
export function shellEnv(entries: Entries, comment?: string): string {
  return (
    commentLines(comment, "# ") +
    entries
      .map(([k, v]) => {
        if (!/^[A-Z_][A-Z0-9_]*$/.test(k)) throw new Error(`not an environment variable name: ${k}`);
        return `export ${k}=${shq(String(v))}\n`;
      })
      .join("")
  );
}
