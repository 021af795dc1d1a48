/**
 * Writes docs/diagrams/<stack>.mmd from Pulumi.<stack>.yaml (config → plan → Mermaid), and refreshes the
 * README's embedded copy between <!-- diagram:<stack>:start --> and <!-- diagram:<stack>:end -->.
 *   npm run diagram -- --stack dev [--check]    (--check: exit 1 if a committed file is out of date)
 */
import { readFileSync, writeFileSync, mkdirSync } from "fs";
import * as path from "path";
import { renderDiagram } from "../lib/diagram";
import { buildPlan } from "../lib/plan";
import { validateConfig } from "../lib/config";
import { stackValues, ROOT } from "../tests/helpers/stacks";

export function diagramFor(stack: string): string {
  const values = stackValues(stack); // the SSH key does not matter for a picture: a dummy, marked secret
  return renderDiagram(buildPlan(validateConfig({ values, secretKeys: new Set(["sshPrivateKey"]), stack })), stack);
}

export function readmeWith(readme: string, stack: string, diagram: string): string {
  const start = `<!-- diagram:${stack}:start -->`;
  const end = `<!-- diagram:${stack}:end -->`;
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} block`);
  // Blank lines around the fence: the shape Prettier gives Markdown, so the two never disagree.
  return `${readme.slice(0, a + start.length)}\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\n${readme.slice(b)}`;
}

function main(): void {
  const i = process.argv.indexOf("--stack");
  const stacks = i >= 0 ? [process.argv[i + 1]] : ["dev", "prod"];
  const check = process.argv.includes("--check");
  let stale = 0;
  const readmePath = path.join(ROOT, "README.md");
  let readme = readFileSync(readmePath, "utf8");
  for (const stack of stacks) {
    const file = path.join(ROOT, "docs/diagrams", `${stack}.mmd`);
    const want = diagramFor(stack);
    let have = "";
    try {
      have = readFileSync(file, "utf8");
    } catch {
      /* absent */
    }
    const newReadme = readmeWith(readme, stack, want);
    if (check) {
      if (have !== want || newReadme !== readme) {
        console.error(`${stack}: docs/diagrams/${stack}.mmd or its README copy is out of date: run npm run diagram -- --stack ${stack}`);
        stale++;
      }
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, want);
      readme = newReadme;
      console.log(`wrote docs/diagrams/${stack}.mmd`);
    }
  }
  if (!check) writeFileSync(readmePath, readme);
  process.exit(stale ? 1 : 0);
}

if (require.main === module) main();
