/**
 * A service's descriptor: everything the generic layers need to know about one service, in its own folder
 * (services/<name>/index.ts). Validation, the plan, rendering, the Lakehouse component and the diagram iterate
 * the descriptors (services/index.ts) instead of switching on service names.
 *
 * Pure: no Pulumi, no I/O. A service whose instances need more than the generic systemd service (a formatted
 * NameNode, a database set up once) has a component of its own, made by its deploy half (services/<name>/deploy.ts).
 */
import type { RenderedFile, Secrets } from "../config-templates/common";
import type { ProcessSpec } from "../config-templates/process";
import type { ArtifactName, ClusterConfig, ManagedDir, NodeConfig, Parsed } from "../lib/config";
import type { Endpoints, NodePlan, Plan, ServicePlan } from "../lib/model";
import type { Role, RoleOf, SectionOf, ServiceKey, ServiceKind } from "./sections";

/** A port a role's process listens on: for collision, SSH and privilege checks. */
export interface PortSpec {
  port: number;
  /** "NameNode RPC" */
  what: string;
  /** Its config key: "hdfs.nameNodeRpcPort". */
  key: string;
}

/** A local directory a role's instances use: made by host preparation, checked for overlaps. */
export interface DirSpec {
  /** Its config key, for messages: "hdfs.nameDirs[0]". */
  key: string;
  path: string;
  /** Nodes with any of these roles get it. */
  roles: Role[];
  owner: string;
  mode: string;
}

/**
 * What an instance takes of its node, with the key that sets it: a JVM heap or process size, or cores it offers
 * to jobs. The host preflight adds them up per node and checks them against the host's memory and cores.
 */
export interface NeedSpec {
  /** "trino.workerGroups.big.heap" */
  key: string;
  /** A JVM size (512m, 4g). */
  memory?: string;
  cores?: number;
}

/** A release's directories on the hosts, beside the release itself (unpacked under /opt/<name>). */
export interface ReleaseDirs {
  /** Where its configuration lives on the hosts (`/etc/<name>/…`). */
  confDir: string;
  /** The release's shipped conf dir (a subdirectory of it), replaced by a link to `confDir`; absent: no link. */
  confSubdir?: string;
}

/** The plan's cluster-wide values that one service owns (HDFS: its cluster ID and the Hadoop client's conf dir). */
export type PlanFields = Pick<Plan, "clusterId" | "hadoopConfDir">;

/**
 * The diagram's colour classes, each with its Mermaid style, in the order the diagram defines and assigns them.
 * Each descriptor's `diagram.cls` names one.
 */
export const DIAGRAM_CLASSES = {
  hdfs: "fill:#2E86AB,stroke:#23527c,color:#fff",
  db: "fill:#F8CECC,stroke:#b85450,color:#000",
  meta: "fill:#FFF2CC,stroke:#d6b656,color:#000",
  engine: "fill:#E8F4FD,stroke:#2171b5,color:#000",
} as const;
export type DiagramClass = keyof typeof DIAGRAM_CLASSES;

/** A jar dropped into a release's directory on every node that has the release. */
export interface JarSpec {
  jar: ArtifactName;
  into: ArtifactName;
  dir: string;
}

/** What a descriptor's plan code may ask about the rest of the cluster. */
export interface PlanContext {
  c: ClusterConfig;
  /** The node holding a singleton role, or undefined when its service is off. */
  holder(role: Role): NodeConfig | undefined;
  /** The id of the instance a singleton role runs as (`namenode@cpu-node1`). */
  idOf(role: Role): string;
  /** The ids of every instance of a role, in config order. */
  idsOf(role: Role): string[];
}

/** An instance as a descriptor plans it; the node, host and (by default) id `<kind>@<node>` are filled in. */
export type InstanceSpec = Omit<ServicePlan, "node" | "host" | "id"> & { id?: string };

/** What cross-field rules may look at: the sections that parsed on their own, and the nodes' parts that did. */
export interface RuleContext {
  /** Sections that parsed; a rule of one service runs only when its own section did. */
  c: Parsed;
  has(...keys: Array<keyof Parsed>): boolean;
  nodes: ReadonlyArray<Partial<NodeConfig> & { index: number }>;
  /**
   * The problem of a directory its `key` configures that host preparation makes on the hosts, or undefined: a
   * system directory, or one that is (or holds) a directory the program manages (lib/config/host-dirs.ts) other
   * than itself (it may be one of the service's own `managedDirs`). Managed directories that depend on the config
   * count from this service's section and the JDKs'. `example` is a directory of its own to suggest.
   */
  hostDirProblem(key: string, dir: string, example: string): string | undefined;
}

/** A stack output's value: JSON the plan holds (index.ts exports it as it is; undefined: no output). */
export type StackOutputValue =
  string | number | boolean | undefined | readonly StackOutputValue[] | { readonly [key: string]: StackOutputValue };

/** A stack output a service offers: exported under its name (components/stages/outputs.ts), the service on or off. */
export interface StackOutputDecl {
  /** What it is and what it is for, as its reader needs it: the output's documentation. */
  readonly description: string;
  /** Its value, from the plan (mostly its endpoints): absent, or a note saying how to turn it on, while the service is off. */
  readonly value: (plan: Plan) => StackOutputValue;
}

/** Stack outputs by name. */
export type StackOutputDecls = { readonly [name: string]: StackOutputDecl };

/** A service's part of the stack output `security` (lib/security.ts), one protection a line, naming its keys. */
export interface SecurityLines {
  /** What it enforces in the stack's config. */
  enforced: string[];
  /** What the stack's config switches off although the program offers it. */
  weakened: string[];
}

/** The cluster's security mode: "open" (nothing authenticates every client) or "kerberos" (services/kerberos). */
export type SecurityMode = "open" | "kerberos";

/** The mode the cluster runs in, and what is said with it (loudly when open: what anyone on the network can do). */
export interface SecurityModeLine {
  mode: SecurityMode;
  warning: string;
}

export interface ServiceDescriptor<K extends ServiceKey = ServiceKey> {
  section: SectionOf<K>;
  /** Off (`<key>.enabled: false`): no instances, no endpoints. */
  enabled(c: Pick<Parsed, K>): boolean;
  /** The Linux user its processes run as (checked against privileged ports). */
  user(c: Pick<Parsed, K>): string;
  /** Its user is the OS's own (root) or its OS package's (PostgreSQL's `postgres`): host preparation does not create it. */
  systemUser?: boolean;
  /**
   * The OS group whose members are the cluster's superusers (HDFS's `dfs.permissions.superusergroup`), which host
   * preparation makes on every node, with `user` (where it exists) in it. One service declares it.
   */
  superusers?(c: Pick<Parsed, K>): { group: string; user: string };
  /** The JDK (a key under `java`) it runs on; absent for a service from OS packages. */
  java?(c: Pick<Parsed, K>): string;
  /** The ports each of its roles listens on. */
  ports(c: Pick<Parsed, K>, role: Role): PortSpec[];
  /**
   * Roles that, on a node that also has another of its roles, run inside that role's process (a Trino
   * coordinator that also works): role → the role whose process it joins. Its ports count once there.
   */
  joins?: Partial<Record<RoleOf<K>, RoleOf<K>>>;
  /** Its local directories. */
  dirs?(c: Pick<Parsed, K>): DirSpec[];
  /**
   * The host directories it manages beyond its releases' (its keystores, its packages' configuration, a
   * directory its section places): no configured directory may be or hold one (lib/config/host-dirs.ts). `c`
   * holds its section only when the section parsed.
   */
  managedDirs?(c: Partial<Pick<Parsed, K>>): ManagedDir[];
  /** Cross-field rules of its own (beyond its schema and the generic role, port and dir checks). */
  rules?(ctx: RuleContext): string[];

  /** Its instances on one node, from the node's roles (only called while the service is on). */
  instances(ctx: PlanContext, node: NodeConfig): InstanceSpec[];
  /** What one of its instances takes of its node (memory, cores), for the host preflight. */
  needs?(c: ClusterConfig, s: ServicePlan): NeedSpec[];
  /** OS packages a node needs for the instances of this service it runs. */
  packages?(c: ClusterConfig, kinds: ReadonlySet<ServiceKind>): string[];
  /** Its releases, each with its conf dir on the hosts (and the link to it, where the release's own is replaced). */
  releases?: Partial<Record<ArtifactName, ReleaseDirs>>;
  /**
   * A release every node that runs any release gets (the Hadoop client: its jars, config and tools), with the
   * JDK (a key under `java`) its tools run on. One service declares it.
   */
  client?: { release: ArtifactName; java(c: Pick<Parsed, K>): string };
  /** Jars dropped into its releases (on every node that has the release). */
  jars?(c: ClusterConfig): JarSpec[];
  /** The addresses it offers (only while the service is on). */
  endpoints?(ctx: PlanContext): Partial<Endpoints>;
  /** The stack outputs it offers, by name: each exported whether the service is on or off. */
  outputs?: StackOutputDecls;
  /** Its lines of the stack output `security`: what it enforces, what the config weakens (only while it is on). */
  security?(plan: Plan): SecurityLines;
  /**
   * The cluster's security mode and its warning, whether this service is on or off: declared by exactly one
   * service, the one whose switch decides whether every client authenticates (services/kerberos).
   */
  securityMode?(plan: Plan): SecurityModeLine;
  /** The plan's cluster-wide values it owns (only while the service is on); each is owned by one service. */
  planFields?(c: ClusterConfig): Partial<PlanFields>;

  /** Files shared by every process of one release on a node, grouped by that release; written once per node. */
  nodeFiles?(plan: Plan, node: NodePlan, secrets: Secrets): Partial<Record<ArtifactName, RenderedFile[]>>;
  /** An instance's own files and its systemd unit. */
  serviceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[];
  /**
   * How an instance runs (config-templates/process.ts): executable, environment, its JVM's heap and options and
   * how they reach it, its ports. Its unit (in `serviceFiles`) and the files that carry its JVM's options are
   * rendered from this spec. Absent for a service that runs its OS package's own units.
   */
  process?(plan: Plan, s: ServicePlan): ProcessSpec;

  /**
   * The Kerberos primaries an instance authenticates as (`nn`, `HTTP`): with `kerberos.enabled` its user's
   * keytab on its node holds `<primary>/<node name>@<realm>` for each (services/kerberos).
   */
  principals?(s: ServicePlan): string[];

  /**
   * The Pulumi type tokens of its components (`lakehouse:hdfs:DataNode`), each written once: in the constant its
   * folder exports, which its component classes, `componentType` and the policy pack's test read. A token is part
   * of the URN of its component and of everything under it: changing one makes Pulumi replace them.
   */
  types: Readonly<Record<string, string>>;
  /** The type token (one of `types`) of an instance's component. */
  componentType(s: ServicePlan): string;
  /** The diagram: an instance's label (name and ports) and its colour class. */
  diagram: {
    label(plan: Plan, s: ServicePlan): string;
    cls: DiagramClass;
    /** The arrows from an instance to the ones it talks to. */
    edges?(plan: Plan, s: ServicePlan): Array<{ to: ServicePlan; label: string; dashed?: boolean }>;
  };
}
