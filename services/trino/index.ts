/**
 * Trino: a coordinator (which may also work) and workers, with the Iceberg, Delta Lake and Hive catalogs over
 * the shared metastore. Workers may be split into role groups (`trino.workerGroups`) with their own heap, query
 * memory and per-file overrides.
 */
import { service } from "../../config-templates/common";
import type { ClusterConfig, NodeConfig } from "../../lib/config";
import { belowMinimum, parseSize } from "../../lib/config/primitives";
import { CA_FILE, jdk } from "../../lib/model";
import type { ServiceDescriptor } from "../descriptor";
import { TRINO_OUTPUTS, trinoSecurity } from "./outputs";
import { groupOf, groupProblems, groupSetting } from "../groups";
import { HEALTH_TIMEOUT } from "../health";
import { TRINO_CONF, TRINO_MIN_HEAP, trinoSection } from "./config";
import { TRINO_HEALTH_CREDENTIALS, trinoProcess, trinoServiceFiles } from "./files";
import { instancePorts } from "../../config-templates/process";
import type { TrinoInstance } from "./model";
import { TRINO_TYPES } from "./policy";

/** Trino's node.id of a node: environment and node name, in the characters node.id accepts. */
const trinoNodeId = (c: ClusterConfig, n: NodeConfig): string => `${c.environment}-${n.name}`.replace(/[^a-z0-9_-]/g, "_");

/** A Trino node's settings, with its worker group's (if it is in one) over the cluster-level ones. */
function trinoInstance(c: ClusterConfig, n: NodeConfig, coordinator: boolean): TrinoInstance {
  const group = groupOf(c.trino.workerGroups, n.name);
  const g = group?.group;
  return {
    coordinator,
    schedulesWork: !coordinator || n.roles.includes("trino-worker"),
    nodeId: trinoNodeId(c, n),
    group: group?.name,
    heap: g?.heap ?? c.trino.heap,
    queryMaxMemoryPerNode: g?.queryMaxMemoryPerNode ?? c.trino.queryMaxMemoryPerNode,
    overrides: [c.trino.overrides, ...(g ? [g.overrides] : [])],
  };
}

export const trino: ServiceDescriptor<"trino"> = {
  section: trinoSection,
  enabled: (c) => c.trino.enabled,
  user: (c) => c.trino.user,
  java: (c) => c.trino.java,
  ports: (c, role) => [
    { port: c.trino.httpPort, what: "Trino HTTP", key: "trino.httpPort" },
    ...(role === "trino-coordinator" && c.trino.https.enabled
      ? [{ port: c.trino.https.port, what: "Trino HTTPS", key: "trino.https.port" }]
      : []),
  ],
  // A coordinator that also works is one Trino process.
  joins: { "trino-worker": "trino-coordinator" },
  dirs: (c) => [
    { key: "trino.dataDir", path: c.trino.dataDir, roles: ["trino-coordinator", "trino-worker"], owner: c.trino.user, mode: "0750" },
  ],
  rules({ c, nodes, has }) {
    const problems: string[] = [];
    // Trino takes passwords over TLS only.
    if (c.trino.enabled && c.trino.authentication === "password" && !c.trino.https.enabled)
      problems.push('trino.authentication: "password" needs trino.https.enabled (Trino takes passwords over HTTPS only)');
    if (has("trinoPasswords") && c.trinoPasswords !== undefined) {
      let given: Record<string, unknown> = {};
      try {
        given = JSON.parse(c.trinoPasswords) as Record<string, unknown>;
      } catch {
        /* the schema reported it */
      }
      for (const u of Object.keys(given))
        if (!c.trino.users.includes(u)) problems.push(`trinoPasswords.${u}: no such user in trino.users (${c.trino.users.join(", ")})`);
    }
    // One query's memory on a node must fit into the node's heap.
    if (parseSize(c.trino.queryMaxMemoryPerNode) > parseSize(c.trino.heap))
      problems.push(`trino.queryMaxMemoryPerNode: ${c.trino.queryMaxMemoryPerNode} is more than trino.heap (${c.trino.heap})`);
    // A query's memory in the whole cluster (query.max-memory, the coordinator's: trino.queryMaxMemory, or its
    // override) is at least what it may take on one node; else the per-node limit is a value no query reaches.
    const maxOverride = c.trino.overrides["config.properties"]?.["query.max-memory"];
    const [maxKey, max] =
      typeof maxOverride === "string" && !Number.isNaN(parseSize(maxOverride))
        ? ["trino.overrides.config.properties.query.max-memory", maxOverride]
        : ["trino.queryMaxMemory", c.trino.queryMaxMemory];
    const aboveMax = (key: string, perNode: string) =>
      `${key}: ${perNode} is more than ${maxKey} (${max}), what a query may take in the whole cluster; lower ${key} or raise ${maxKey}`;
    if (parseSize(c.trino.queryMaxMemoryPerNode) > parseSize(max))
      problems.push(aboveMax("trino.queryMaxMemoryPerNode", c.trino.queryMaxMemoryPerNode));
    const heapWhy = "Trino's heap holds its plugins and, beside the per-node query memory, 30% headroom (memory.heap-headroom-per-node)";
    const low = belowMinimum("trino.heap", c.trino.heap, TRINO_MIN_HEAP, heapWhy);
    if (low) problems.push(low);
    // Worker groups: members are Trino workers, each in one group; a group's per-node query memory fits its heap
    // (each taken from the group, else from trino.*).
    problems.push(...groupProblems("trino.workerGroups", c.trino.workerGroups, "trino-worker", nodes));
    for (const [g, grp] of Object.entries(c.trino.workerGroups)) {
      const h = grp.heap ?? c.trino.heap;
      const q = grp.queryMaxMemoryPerNode ?? c.trino.queryMaxMemoryPerNode;
      if (parseSize(q) > parseSize(h))
        problems.push(`trino.workerGroups.${g}: its queryMaxMemoryPerNode (${q}) is more than its heap (${h})`);
      if (grp.queryMaxMemoryPerNode !== undefined && parseSize(grp.queryMaxMemoryPerNode) > parseSize(max))
        problems.push(aboveMax(`trino.workerGroups.${g}.queryMaxMemoryPerNode`, grp.queryMaxMemoryPerNode));
      const lowGroup = grp.heap !== undefined && belowMinimum(`trino.workerGroups.${g}.heap`, grp.heap, TRINO_MIN_HEAP, heapWhy);
      if (lowGroup) problems.push(lowGroup);
    }
    return problems;
  },

  instances(ctx, n) {
    const c = ctx.c;
    if (!n.roles.includes("trino-coordinator") && !n.roles.includes("trino-worker")) return [];
    const coordinator = n.roles.includes("trino-coordinator");
    const coord = ctx.holder("trino-coordinator")!;
    return [
      {
        kind: "trino",
        unit: "trino",
        user: c.trino.user,
        artifact: "trino",
        jdk: jdk(c, c.trino.java),
        health: coordinator
          ? {
              kind: "http",
              url: `http://${n.host}:${c.trino.httpPort}/v1/info`,
              expect: '"starting"\\s*:\\s*false',
              timeoutSec: HEALTH_TIMEOUT.trino,
            }
          : // A worker is healthy when it is up and the coordinator lists its node id, at its address, as active.
            // With password authentication the probe asks over HTTPS (verified against the cluster CA), logged
            // in as the health-check user, whose credentials are in a file of root's on the node.
            {
              kind: "probe",
              check: "trino-worker",
              args: [
                c.trino.authentication === "password"
                  ? `https://${coord.host}:${c.trino.https.port}`
                  : `http://${coord.host}:${c.trino.httpPort}`,
                `http://${n.host}:${c.trino.httpPort}`,
                trinoNodeId(c, n),
                ...(c.trino.authentication === "password" ? [CA_FILE, TRINO_HEALTH_CREDENTIALS] : []),
              ],
              timeoutSec: HEALTH_TIMEOUT.trinoWorker,
            },
        // Engines start without the metastore (they reach it at query time), and workers without waiting for
        // their coordinator (they keep announcing themselves until it answers): what proves membership is
        // the health check, which dependents and the next node of a rolling change wait for.
        after: [],
        rollingGroup: coordinator ? undefined : "trino-worker",
        rollingHead: coordinator ? undefined : ctx.idOf("trino-coordinator"),
        trino: trinoInstance(c, n, coordinator),
      },
    ];
  },
  // Trino 435's bin/launcher runs launcher.py with `#!/usr/bin/env python`.
  packages: (_c, kinds) => (kinds.has("trino") ? ["python-is-python3"] : []),
  // The launcher reads its configuration from TRINO_CONF (--etc-dir): the release's own etc stays as shipped.
  releases: { trino: { confDir: TRINO_CONF } },
  // What users connect to: HTTPS when it is on.
  endpoints: (ctx) => {
    const t = ctx.c.trino;
    const host = ctx.holder("trino-coordinator")!.host;
    return { trinoUrl: t.https.enabled ? `https://${host}:${t.https.port}` : `http://${host}:${t.httpPort}` };
  },

  serviceFiles: trinoServiceFiles,
  process: (plan, s) => ({ ...trinoProcess(plan, s), ports: instancePorts(trino, plan, s) }),

  principals: () => ["trino"],
  // The resolved heap (the worker group's, else trino.heap's), under the key that set it.
  needs(c, s) {
    const heap = groupSetting("trino", "workerGroups", c.trino.workerGroups, s.node, "heap", c.trino.heap);
    return [{ key: heap.key, memory: heap.value }];
  },
  outputs: TRINO_OUTPUTS,
  security: trinoSecurity,
  types: TRINO_TYPES,
  componentType: (s) => (s.trino?.coordinator ? TRINO_TYPES.Coordinator : TRINO_TYPES.Worker),
  diagram: {
    label: (plan, s) =>
      `${s.trino?.coordinator ? (s.trino.schedulesWork ? "Trino coordinator + worker" : "Trino coordinator") : "Trino worker"}<br/>${plan.config.trino.httpPort}${
        s.trino?.coordinator && plan.config.trino.https.enabled ? ` / HTTPS ${plan.config.trino.https.port}` : ""
      }`,
    cls: "engine",
    edges: (plan, s) =>
      s.trino?.coordinator
        ? [
            { to: service(plan, "metastore"), label: "Thrift" },
            { to: service(plan, "namenode"), label: "HDFS" },
          ]
        : [{ to: plan.services.find((x) => x.trino?.coordinator)!, label: "discovery", dashed: true }],
  },
};
