/**
 * Topology diagrams generated from the stack files: Pulumi.<stack>.yaml → validateConfig → buildPlan → Mermaid
 * (lib/diagram.ts), written to docs/diagrams/<stack>.mmd. The README's copy, between
 * `<!-- diagram:<stack>:start -->` and `<!-- diagram:<stack>:end -->`, is refreshed too when the README has those
 * markers (nothing else in the README is touched).
 *   npm run diagram                         every stack (Pulumi.*.yaml)
 *   npm run diagram -- --stack dev          one stack
 *   npm run diagram -- --check [--stack …]  write nothing; exit 1 if a committed diagram or README copy is stale
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "fs";
import * as path from "path";
import { renderDiagram } from "../lib/diagram";
import { buildPlan } from "../lib/plan";
import { validateConfig } from "../lib/config";
import { REPO_ROOT as ROOT, stackFileValues as stackValues } from "../lib/stack-file";

export const diagramPath = (stack: string) => path.join(ROOT, "docs/diagrams", `${stack}.mmd`);
export const readmeMarkers = (stack: string) => [`<!-- diagram:${stack}:start -->`, `<!-- diagram:${stack}:end -->`] as const;

/** Every stack with a Pulumi.<stack>.yaml. */
export function stacks(): string[] {
  return readdirSync(ROOT)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function diagramFor(stack: string): string {
  // A dummy sshPrivateKey (marked secret below): the key plays no part in a picture.
  const values = { ...stackValues(stack), sshPrivateKey: "unused" };
  return renderDiagram(buildPlan(validateConfig({ values, secretKeys: new Set(["sshPrivateKey"]), stack })), stack);
}

/** True when the README has this stack's markers. */
export function readmeHasBlock(readme: string, stack: string): boolean {
  const [start, end] = readmeMarkers(stack);
  const a = readme.indexOf(start);
  return a >= 0 && readme.indexOf(end, a) > a;
}

/** The fenced diagram between the README's markers, or undefined without markers. */
export function readmeBlock(readme: string, stack: string): string | undefined {
  if (!readmeHasBlock(readme, stack)) return undefined;
  const [start, end] = readmeMarkers(stack);
  const a = readme.indexOf(start) + start.length;
  return readme.slice(a, readme.indexOf(end, a));
}

/** What belongs between the markers: the diagram in a mermaid fence, blank lines around it (Prettier's shape). */
export const readmeFence = (diagram: string) => `\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\n`;

/** The README with this stack's block replaced (the README unchanged when it has no markers). */
export function readmeWith(readme: string, stack: string, diagram: string): string {
  if (!readmeHasBlock(readme, stack)) return readme;
  const [start, end] = readmeMarkers(stack);
  const a = readme.indexOf(start) + start.length;
  return `${readme.slice(0, a)}${readmeFence(diagram)}${readme.slice(readme.indexOf(end, a))}`;
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const i = argv.indexOf("--stack");
  const unknown = argv.filter((a, j) => a !== "--check" && a !== "--stack" && !(i >= 0 && j === i + 1));
  const known = stacks();
  if (unknown.length || (i >= 0 && !known.includes(argv[i + 1] ?? ""))) {
    console.error(`usage: npm run diagram -- [--stack ${known.join("|")}] [--check]`);
    return 2;
  }
  const selected = i >= 0 ? [argv[i + 1]] : known;
  const readmePath = path.join(ROOT, "README.md");
  let readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : "";
  let stale = 0;
  for (const stack of selected) {
    const file = diagramPath(stack);
    const rel = path.relative(ROOT, file);
    const want = diagramFor(stack);
    const have = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    const newReadme = readmeWith(readme, stack, want);
    if (check) {
      if (have !== want) console.error(`${rel} is out of date: run npm run diagram -- --stack ${stack}`);
      if (newReadme !== readme) console.error(`README.md's ${stack} diagram is out of date: run npm run diagram -- --stack ${stack}`);
      if (have !== want || newReadme !== readme) stale++;
      continue;
    }
    if (have !== want) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, want);
    }
    console.log(`${rel}: ${have === want ? "up to date" : "written"}`);
    if (newReadme !== readme) {
      readme = newReadme;
      writeFileSync(readmePath, readme);
      console.log(`README.md: ${stack} diagram refreshed`);
    }
  }
  return stale ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
