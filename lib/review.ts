/**
 * What a reviewer sees of a set of rendered files in `pulumi preview --diff`: per file, its mode and owner and
 * its keys and values (Hadoop XML, Java properties, YAML), or its lines (units, scripts, jvm.config). A secret value shows as `[secret <hmac>]`: the key is named, the value is not, and a change of
 * the value changes the tag (a keyed hash, so it is no oracle for guessing the value). Pure: no Pulumi.
 *
 * The manifest is a JSON string: the engine shows a JSON-valued input as a structured diff, key by key.
 */
import { createHmac } from "crypto";
import { XMLParser } from "fast-xml-parser";
import { getProperties } from "properties-file";
import { parse as parseYaml } from "yaml";

/** A key/value format the review reads a file in. */
export type FileFormat = "xml" | "properties" | "yaml";

export interface ReviewedFile {
  path: string;
  content: string;
  mode: string;
  owner: string;
  group: string;
  /** Its format where its name does not tell (else by extension: .xml, .properties, .yaml/.yml). */
  format?: FileFormat;
}

export type FileView = { mode: string; entries: Record<string, string> } | { mode: string; lines: string[] };

/** HMAC-SHA-256 under the stack's file-hash key, hex. */
export function keyedHash(key: string, ...parts: string[]): string {
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
}

function flatten(prefix: string, v: unknown, out: Record<string, string>): void {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else out[prefix] = Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** A file's key/value format by its name's extension, or undefined for a line-oriented file. */
export function formatOf(path: string): FileFormat | undefined {
  if (path.endsWith(".xml")) return "xml";
  if (path.endsWith(".properties")) return "properties";
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  return undefined;
}

/**
 * The key/value pairs of a file in a format this project writes (`format`, else the one its name tells), or
 * undefined for a line-oriented file.
 */
export function fileEntries(path: string, content: string, format = formatOf(path)): Record<string, string> | undefined {
  if (format === "xml") {
    const doc = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (n) => n === "property" }).parse(content) as {
      configuration?: { property?: Array<{ name: string; value?: unknown }> } | string;
    };
    const props = typeof doc.configuration === "object" ? (doc.configuration.property ?? []) : [];
    return Object.fromEntries(props.map((p) => [String(p.name), p.value === undefined ? "" : String(p.value)]));
  }
  if (format === "properties") {
    return { ...getProperties(content) };
  }
  if (format === "yaml") {
    const out: Record<string, string> = {};
    flatten("", parseYaml(content) ?? {}, out);
    return out;
  }
  return undefined;
}

const lines = (content: string) => content.split("\n").filter((l) => l.trim() !== "");

/**
 * The reviewer's view of `files` (rendered with placeholders where secrets go), given the same files rendered
 * with the real secrets (`real`, same order) when they hold any. A key or line whose real value differs from
 * its placeholder rendering is a secret.
 */
export function reviewView(shape: ReviewedFile[], real: ReviewedFile[] | undefined, key: string): Record<string, FileView> {
  const out: Record<string, FileView> = {};
  shape.forEach((f, i) => {
    const r = real?.[i] ?? f;
    if (r.path !== f.path) throw new Error(`internal: review of ${f.path} against ${r.path}`);
    const mode = `${f.mode} ${f.owner}:${f.group}`;
    const tag = (v: string) => `[secret ${keyedHash(key, f.path, v).slice(0, 12)}]`;
    const shapeEntries = fileEntries(f.path, f.content, f.format);
    if (shapeEntries) {
      const realEntries = r === f ? shapeEntries : (fileEntries(r.path, r.content, f.format) ?? {});
      const entries: Record<string, string> = {};
      for (const [k, v] of Object.entries(shapeEntries)) entries[k] = realEntries[k] === v ? v : tag(realEntries[k] ?? "");
      out[f.path] = { mode, entries };
    } else {
      const sl = lines(f.content);
      const rl = r === f ? sl : lines(r.content);
      if (sl.length !== rl.length) out[f.path] = { mode, lines: [tag(r.content)] };
      else out[f.path] = { mode, lines: sl.map((l, j) => (rl[j] === l ? l : tag(rl[j]))) };
    }
  });
  return out;
}

/** The manifest as the JSON string the review step carries. */
export function reviewManifest(shape: ReviewedFile[], real: ReviewedFile[] | undefined, key: string): string {
  return JSON.stringify(reviewView(shape, real, key));
}
