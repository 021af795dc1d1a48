/** Flink's config section (`lakehouse:flink`): a session cluster (JobManager and TaskManagers). */
import { z } from "zod";
import { heap, overridesFor, port, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/artifacts";
import { roleGroupsSchema } from "../groups";
import { defineSection, OWNED } from "../section";

export const FLINK_FILES = ["config.yaml"] as const;

const KERBEROS_LOGIN = "with kerberos.enabled, each node's flink keytab and principal (flink/<node>)";
const FLINK_OWNED = {
  "config.yaml": {
    "fs.default-scheme": OWNED.defaultFS,
    "security.kerberos.login.keytab": KERBEROS_LOGIN,
    "security.kerberos.login.principal": KERBEROS_LOGIN,
  },
};

export const flinkSchema = z
  .strictObject({
    /** false: no Flink anywhere (then no node may have a flink-* role). */
    enabled: z.boolean().default(true),
    /** Install flink-sql-connector-hive so Flink's Hive catalog works (artifacts.flinkHive). */
    hiveConnector: z.boolean().default(true),
    rpcPort: port.default(6123),
    restPort: port.default(8081),
    /** Jar upload and run through the REST API and web UI (web.submit.enable): whoever reaches the port runs code as flink. */
    webSubmit: z.boolean().default(false),
    taskSlots: z.number().int().min(1).max(1024).default(2),
    jobManagerMemory: heap.default("1600m"),
    taskManagerMemory: heap.default("2048m"),
    user: userName.default("flink"),
    java: javaKey.default("17"),
    overrides: overridesFor(FLINK_FILES, FLINK_OWNED),
    /**
     * Role groups of TaskManagers by name, e.g. `{ wide: { nodes: ["worker-node4"], taskSlots: 8 } }`: a group's
     * settings and config.yaml overrides apply on its nodes, over flink.*; default none.
     */
    taskManagerGroups: roleGroupsSchema({
      taskSlots: z.number().int().min(1).max(1024).optional(),
      taskManagerMemory: heap.optional(),
      overrides: overridesFor(FLINK_FILES, FLINK_OWNED),
    }),
  })
  .prefault({});

export const flinkSection = defineSection({
  key: "flink",
  label: "Flink",
  roles: [
    { name: "flink-jobmanager", kind: "flink-jobmanager", singleton: true, required: true },
    { name: "flink-taskmanager", kind: "flink-taskmanager", singleton: false, required: true },
  ],
  schema: flinkSchema,
  files: FLINK_FILES,
  switchable: true,
  java: {
    artifact: "flink",
    rules: [{ from: "1.18.0", to: "2.0.0", range: { min: 11, max: 17, why: "Flink 1.18-1.20 support Java 11 and 17" } }],
  },
});
