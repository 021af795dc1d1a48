/**
 * The stack config that points the program at the lab's hosts: the dev stack's shape (same node names and
 * roles), the lab's addresses, its SSH key as a secret and its host keys pinned.
 */
import { readFileSync } from "fs";
import { stackValues } from "../helpers/stacks";

export const LAB_JSON = process.env.LAKEHOUSE_LAB_JSON ?? "/var/lib/lakehouse-lab/lab.json";

export interface LabNode {
  name: string;
  host: string;
  port: number;
  user: string;
  hostKey: string;
}
export interface Lab {
  bridge: string;
  aptProxy: string;
  privateKeyPath: string;
  nodes: LabNode[];
}

export function readLab(): Lab {
  return JSON.parse(readFileSync(LAB_JSON, "utf8")) as Lab;
}

/** `base` stack's values with the lab's hosts substituted by node name (extra lab nodes are ignored). */
export function labConfig(lab: Lab, base: "dev" | "prod" = "dev", patch?: (v: Record<string, any>) => void): Record<string, unknown> {
  const v = stackValues(base) as Record<string, any>;
  const byName = new Map(lab.nodes.map((n) => [n.name, n]));
  v.nodes = (v.nodes as Array<Record<string, unknown>>)
    .filter((n) => byName.has(n.name as string))
    .map((n) => {
      const l = byName.get(n.name as string)!;
      return { ...n, host: l.host, hostKey: l.hostKey, ssh: { user: l.user, port: l.port } };
    });
  v.ssh = { ...(v.ssh ?? {}), requireHostKey: true, dialErrorLimit: 3, perDialTimeout: 10 };
  v.sshPrivateKey = readFileSync(lab.privateKeyPath, "utf8");
  patch?.(v);
  return v;
}
