/** Trino's config section (`lakehouse:trino`), its roles and worker role groups, files and Java range. */
import { z } from "zod";
import { absPath, heap, overridesFor, port, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/artifacts";
import { roleGroupsSchema } from "../groups";
import { defineSection } from "../section";

export const TRINO_FILES = ["config.properties", "node.properties", "iceberg.properties", "delta.properties", "hive.properties"] as const;

const TRINO_OWNED: Partial<Record<(typeof TRINO_FILES)[number], Record<string, string>>> = {
  "config.properties": {
    coordinator: "it follows the node's roles (trino-coordinator)",
    "node-scheduler.include-coordinator": "it follows the node's roles (trino-worker on the coordinator)",
    "http-server.http.port": "use trino.httpPort",
    "discovery.uri": "it is the coordinator's http://<host>:<trino.httpPort>: use trino.httpPort",
    "query.max-memory-per-node": "use trino.queryMaxMemoryPerNode (checked against trino.heap)",
    "internal-communication.shared-secret": "use the secret trinoSharedSecret (pulumi config set --secret trinoSharedSecret)",
  },
  "node.properties": {
    "node.id": "it is <environment>-<node name>, unique per node",
    "node.environment": "use environment",
    "node.data-dir": "use trino.dataDir",
    "node.internal-address": "use nodes[i].host",
  },
};

const trinoMemory = z.string().regex(/^\d+(MB|GB|TB)$/, "expected a Trino data size such as 512MB or 2GB");

export const trinoSchema = z
  .strictObject({
    /** false: no Trino anywhere (then no node may have a trino-* role). */
    enabled: z.boolean().default(true),
    httpPort: port.default(8080),
    heap: heap.default("8g"),
    queryMaxMemory: trinoMemory.default("8GB"),
    queryMaxMemoryPerNode: trinoMemory.default("2GB"),
    dataDir: absPath.default("/var/lib/trino/data"),
    user: userName.default("trino"),
    java: javaKey.default("17"),
    catalogs: z
      .strictObject({ iceberg: z.boolean().default(true), delta: z.boolean().default(true), hive: z.boolean().default(true) })
      .prefault({}),
    overrides: overridesFor(TRINO_FILES, TRINO_OWNED),
    /** Role groups of workers by name, e.g. `{ big: { nodes: ["worker-node4"], heap: "16g" } }`; default none. */
    workerGroups: roleGroupsSchema({
      heap: heap.optional(),
      queryMaxMemoryPerNode: trinoMemory.optional(),
      overrides: overridesFor(TRINO_FILES, TRINO_OWNED),
    }),
  })
  .prefault({});

export const trinoSection = defineSection({
  key: "trino",
  label: "Trino",
  roles: [
    { name: "trino-coordinator", kind: "trino", singleton: true, required: true },
    { name: "trino-worker", kind: "trino", singleton: false, required: false },
  ],
  schema: trinoSchema,
  files: TRINO_FILES,
  switchable: true,
  java: {
    artifact: "trino",
    rules: [
      { from: "0", to: "436", range: { min: 17, why: "Trino up to 435 runs on Java 17" } },
      { from: "436", to: "447", range: { min: 21, why: "Trino 436-446 need Java 21" } },
      { from: "447", to: "464", range: { min: 22, why: "Trino 447-463 need Java 22" } },
      { from: "464", to: "476", range: { min: 23, why: "Trino 464-475 need Java 23" } },
      { from: "476", to: "479", range: { min: 24, why: "Trino 476-478 need Java 24" } },
      { from: "479", range: { min: 25, why: "Trino 479+ needs Java 25" } },
    ],
  },
});
