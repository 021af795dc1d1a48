/** Flink's config section (`lakehouse:flink`): a session cluster (JobManager and TaskManagers). */
import { z } from "zod";
import { heap, overridesFor, port, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/primitives";
import { roleGroupsSchema } from "../groups";
import { defineSection, OWNED } from "../section";

/** Flink's configuration on its nodes (the release's conf links here). */
export const FLINK_CONF = "/etc/flink/conf";
export const FLINK_FILES = ["config.yaml"] as const;

const KERBEROS_LOGIN = "with kerberos.enabled, each node's flink keytab and principal (flink/<node>)";
const FLINK_OWNED = {
  "config.yaml": {
    "fs.default-scheme": OWNED.defaultFS,
    "security.kerberos.login.keytab": KERBEROS_LOGIN,
    "security.kerberos.login.principal": KERBEROS_LOGIN,
  },
};

const MiB = 1024 ** 2;
/**
 * The least taskmanager.memory.process.size a Flink 1.20 TaskManager starts with, from its defaults
 * (taskmanager.memory.*): JVM overhead max(192m, 10%) and metaspace 256m leave the total Flink memory F, of which
 * framework heap 128m, framework off-heap 128m, network max(64m, 10% of F) and managed 40% of F come before any
 * task heap. Task heap >= 0 needs 0.6 F >= 320m, F >= 534m: a process of 982m; below it Flink refuses to start
 * ("Sum of configured Framework Heap Memory ... exceed configured Total Flink Memory"). Rounded up to 1g, which
 * leaves the tasks a heap of 26m (overrides of those fractions in config.yaml move the bound; this assumes Flink's).
 */
export const FLINK_TASK_MANAGER_MIN = 1024 * MiB;
/**
 * The least jobmanager.memory.process.size a Flink 1.20 JobManager starts with: its JVM heap at Flink's
 * recommended minimum (128m, JobManagerOptions.MIN_JVM_HEAP_SIZE), off-heap 128m, metaspace 256m and JVM overhead
 * 192m (jobmanager.memory.* defaults). At 576m or less the heap is nothing and Flink refuses to start.
 */
export const FLINK_JOB_MANAGER_MIN = (128 + 128 + 256 + 192) * MiB;
export const FLINK_TASK_MANAGER_MIN_WHY =
  "a Flink 1.20 TaskManager's process must hold JVM metaspace 256m, JVM overhead 192m, framework heap 128m and off-heap 128m, network 64m and managed memory 40%";
export const FLINK_JOB_MANAGER_MIN_WHY =
  "a Flink 1.20 JobManager's process must hold JVM metaspace 256m, JVM overhead 192m, off-heap 128m and a heap of at least 128m";

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
  secrets: {},
  switchable: true,
  java: {
    artifact: "flink",
    rules: [{ from: "1.18.0", to: "2.0.0", range: { min: 11, max: 17, why: "Flink 1.18-1.20 support Java 11 and 17" } }],
  },
});
