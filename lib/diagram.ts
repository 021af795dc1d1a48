/**
 * A Mermaid diagram of a stack, generated from its plan: one subgraph per node with its address, the services
 * on it with their ports, and the dependencies that matter. Pure.
 */
import type { Plan, ServicePlan } from "./plan";

const LABEL: Record<ServicePlan["kind"], string> = {
  namenode: "HDFS NameNode",
  datanode: "HDFS DataNode",
  postgres: "PostgreSQL",
  metastore: "Hive Metastore",
  trino: "Trino",
  "spark-master": "Spark master",
  "spark-worker": "Spark worker",
  "flink-jobmanager": "Flink JobManager",
  "flink-taskmanager": "Flink TaskManager",
};

const CLASS: Record<ServicePlan["kind"], string> = {
  namenode: "hdfs",
  datanode: "hdfs",
  postgres: "db",
  metastore: "meta",
  trino: "engine",
  "spark-master": "engine",
  "spark-worker": "engine",
  "flink-jobmanager": "engine",
  "flink-taskmanager": "engine",
};

function ports(plan: Plan, s: ServicePlan): string {
  const c = plan.config;
  switch (s.kind) {
    case "namenode":
      return `${c.hdfs.nameNodeRpcPort} / UI ${c.hdfs.nameNodeHttpPort}`;
    case "datanode":
      return `${c.hdfs.dataNodePort}`;
    case "postgres":
      return `${c.postgres.port} db ${c.postgres.database}`;
    case "metastore":
      return `Thrift ${c.metastore.port}`;
    case "trino":
      return `${c.trino.httpPort}`;
    case "spark-master":
      return `${c.spark.masterPort} / UI ${c.spark.masterUiPort}`;
    case "spark-worker":
      return `UI ${c.spark.workerUiPort}`;
    case "flink-jobmanager":
      return `RPC ${c.flink.rpcPort} / REST ${c.flink.restPort}`;
    case "flink-taskmanager":
      return `${c.flink.taskSlots} slots`;
  }
}

function label(plan: Plan, s: ServicePlan): string {
  let name = LABEL[s.kind];
  if (s.kind === "trino")
    name = s.trino?.coordinator ? (s.trino.schedulesWork ? "Trino coordinator + worker" : "Trino coordinator") : "Trino worker";
  return `${name}<br/>${ports(plan, s)}`;
}

const id = (s: ServicePlan) => `${s.kind}_${s.node}`.replace(/[^A-Za-z0-9_]/g, "_");

export function renderDiagram(plan: Plan, stack: string): string {
  const lines = [`%% Generated from Pulumi.${stack}.yaml by \`npm run diagram -- --stack ${stack}\`: do not edit by hand.`, "graph TB"];
  for (const n of plan.nodes) {
    lines.push(`    subgraph ${n.name.replace(/[^A-Za-z0-9_]/g, "_")}["${n.name}<br/>${n.host}"]`);
    for (const s of n.services) lines.push(`        ${id(s)}["${label(plan, s)}"]`);
    lines.push("    end");
  }
  const by = (k: ServicePlan["kind"]) => plan.services.filter((s) => s.kind === k);
  const nn = by("namenode")[0];
  const ms = by("metastore")[0];
  const pg = by("postgres")[0];
  const edges: string[] = [];
  for (const d of by("datanode")) edges.push(`    ${id(d)} -->|blocks| ${id(nn)}`);
  edges.push(`    ${id(ms)} -->|JDBC| ${id(pg)}`);
  edges.push(`    ${id(ms)} -->|warehouse| ${id(nn)}`);
  const heads = plan.services.filter(
    (s) => (s.kind === "trino" && s.trino?.coordinator) || s.kind === "spark-master" || s.kind === "flink-jobmanager",
  );
  for (const h of heads) {
    edges.push(`    ${id(h)} -->|Thrift| ${id(ms)}`);
    edges.push(`    ${id(h)} -->|HDFS| ${id(nn)}`);
  }
  const coord = heads.find((h) => h.kind === "trino")!;
  for (const w of by("trino").filter((s) => !s.trino?.coordinator)) edges.push(`    ${id(w)} -.->|discovery| ${id(coord)}`);
  for (const w of by("spark-worker")) edges.push(`    ${id(w)} -.->|registers| ${id(by("spark-master")[0])}`);
  for (const w of by("flink-taskmanager")) edges.push(`    ${id(w)} -.->|registers| ${id(by("flink-jobmanager")[0])}`);
  lines.push(...edges);
  lines.push(
    "    classDef hdfs fill:#2E86AB,stroke:#23527c,color:#fff",
    "    classDef db fill:#F8CECC,stroke:#b85450,color:#000",
    "    classDef meta fill:#FFF2CC,stroke:#d6b656,color:#000",
    "    classDef engine fill:#E8F4FD,stroke:#2171b5,color:#000",
  );
  for (const cls of ["hdfs", "db", "meta", "engine"]) {
    const members = plan.services.filter((s) => CLASS[s.kind] === cls).map(id);
    if (members.length) lines.push(`    class ${members.join(",")} ${cls}`);
  }
  return lines.join("\n") + "\n";
}
