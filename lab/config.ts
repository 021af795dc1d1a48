/**
 * The lab's wiring (used by the demo and the lab tests): the stack config that points the program at the lab's hosts: the dev stack's shape (same node names and
 * roles), the lab's addresses, its SSH key as a secret and its host keys pinned.
 */
import { readFileSync } from "fs";
import { stackFileValues } from "../lib/stack-file";

export const LAB_JSON = process.env.LAKEHOUSE_LAB_JSON ?? "/var/lib/lakehouse-lab/lab.json";
export const MIRROR_INDEX = `${process.env.LAKEHOUSE_MIRROR ?? "/var/cache/lakehouse-mirror"}/www/artifacts.json`;

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
  /** The artifact mirror's base URL, when lab/mirror.sh has built one. */
  mirror: string | null;
  privateKeyPath: string;
  nodes: LabNode[];
}

export function readLab(): Lab {
  return JSON.parse(readFileSync(LAB_JSON, "utf8")) as Lab;
}

/** `base` stack's values with the lab's hosts substituted by node name (extra lab nodes are ignored). */
export function labConfig(lab: Lab, base: "dev" | "prod" = "dev", patch?: (v: Record<string, any>) => void): Record<string, unknown> {
  const v = stackFileValues(base) as Record<string, any>;
  const byName = new Map(lab.nodes.map((n) => [n.name, n]));
  v.nodes = (v.nodes as Array<Record<string, unknown>>)
    .filter((n) => byName.has(n.name as string))
    .map((n) => {
      const l = byName.get(n.name as string)!;
      return { ...n, host: l.host, hostKey: l.hostKey, ssh: { user: l.user, port: l.port } };
    });
  v.ssh = { ...(v.ssh ?? {}), requireHostKey: true, dialErrorLimit: 3, perDialTimeout: 20 };
  v.sshPrivateKey = readFileSync(lab.privateKeyPath, "utf8");
  patch?.(v);
  return v;
}

export interface MirrorEntry {
  version: string;
  path: string;
  sha512: string;
  bytes: number;
}

/**
 * The full stack on the lab: artifact sources from the lab mirror (lab/mirror.sh) with their SHA-512s, heaps
 * sized so three hosts fit 2 cores and ~20 GiB, and whatever the mirror could not provide switched off
 * (and reported in `missing`).
 */
export function labServicesConfig(lab: Lab, base: "dev" | "prod" = "dev"): { config: Record<string, unknown>; missing: string[] } {
  if (!lab.mirror) throw new Error("the lab has no artifact mirror: run bash lab/mirror.sh, then lab up");
  const index = JSON.parse(readFileSync(MIRROR_INDEX, "utf8")) as Record<string, MirrorEntry | null>;
  const missing = Object.entries(index)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  // JDK archives (`jdk<major>`) are not artifacts: they go under `java`.
  const jdks = Object.entries(index).filter(([k, e]) => k.startsWith("jdk") && e !== null);
  const config = labConfig(lab, base, (v) => {
    v.artifacts = Object.fromEntries(
      Object.entries(index)
        .filter(([name, e]) => e !== null && !name.startsWith("jdk"))
        .map(([name, e]) => [name, { version: e!.version, url: `${lab.mirror}/${e!.path}`, sha512: e!.sha512 }]),
    );
    v.java = {
      "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
      ...Object.fromEntries(
        jdks.map(([k, e]) => [k.slice("jdk".length), { version: e!.version, url: `${lab.mirror}/${e!.path}`, sha512: e!.sha512 }]),
      ),
    };
    v.hdfs = { ...v.hdfs, nameNodeHeap: "512m", dataNodeHeap: "384m" };
    v.metastore = { ...v.metastore, heap: "512m", maxConnections: 10 };
    v.trino = { ...v.trino, heap: "1536m", queryMaxMemory: "1GB", queryMaxMemoryPerNode: "512MB" };
    // Two users, and a rule the lab checks: analyst may not touch the Iceberg schema labcheck.
    v.trino.users = ["admin", "analyst"];
    v.trino.accessRules = {
      tables: [
        { user: "analyst", catalog: "iceberg", schema: "labcheck", privileges: [] },
        { privileges: ["SELECT", "INSERT", "DELETE", "UPDATE", "OWNERSHIP", "GRANT_SELECT"] },
      ],
    };
    v.spark = { ...v.spark, workerCores: 1, workerMemory: "1g", daemonHeap: "256m" };
    v.flink = { ...v.flink, jobManagerMemory: "1024m", taskManagerMemory: "1024m", taskSlots: 2 };
    // The lab stack opts into the cross-engine smoke test: it runs at the end of the first apply.
    v.smokeTest = { enabled: true, run: "lab-1" };
    // The mirror's Trino (476: 435 is not on this registry) needs Java 24+: the newest JDK archive it has.
    const trino = index.trino;
    const newest = jdks.map(([k]) => k.slice("jdk".length)).sort((a, b) => Number(b) - Number(a))[0];
    if (trino && Number(trino.version) > 435 && newest && Number(newest) >= 24) v.trino.java = newest;
    else if (trino && Number(trino.version) > 435 && !missing.includes("trino")) missing.push("trino");
    if (missing.includes("trino")) {
      v.trino.enabled = false;
      for (const n of v.nodes) n.roles = n.roles.filter((r: string) => !r.startsWith("trino-"));
    }
    if (missing.includes("flinkHive")) v.flink.hiveConnector = false;
  });
  return { config, missing };
}

/**
 * The lab stack as the Kerberos suite and the security benchmark deploy it: labServicesConfig (every engine and
 * the smoke test), and, when `kerberos`, the realm `realm` with its KDC on the first node. The same stack
 * without `kerberos` is the open baseline.
 */
export function labSecurityConfig(lab: Lab, kerberos: boolean, realm = "LAB.LAKEHOUSE"): Record<string, any> {
  const v = labServicesConfig(lab).config as Record<string, any>;
  if (kerberos) {
    v.nodes[0].roles.push("kdc");
    v.kerberos = { enabled: true, realm };
  }
  return v;
}
