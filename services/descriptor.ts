/**
 * A service's descriptor: everything the generic layers need to know about one service, in its own folder
 * (services/<name>/index.ts). Validation, the plan, rendering, the Lakehouse component and the diagram iterate
 * the descriptors (services/index.ts) instead of switching on service names.
 *
 * Pure: no Pulumi, no I/O. A service whose instances need more than the generic systemd service (a formatted
 * NameNode, a database set up once) has a component of its own, made by its deploy half (services/<name>/deploy.ts).
 */
import type { RenderedFile, Secrets } from "../config-templates/common";
import type { ArtifactName, ClusterConfig, NodeConfig, Parsed } from "../lib/config";
import type { Endpoints, NodePlan, Plan, ServicePlan } from "../lib/model";
import type { Role, SectionOf, ServiceKey, ServiceKind } from "./sections";

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
}

export interface ServiceDescriptor<K extends ServiceKey = ServiceKey> {
  section: SectionOf<K>;
  /** Off (`<key>.enabled: false`): no instances, no endpoints. */
  enabled(c: Pick<Parsed, K>): boolean;
  /** The Linux user its processes run as (checked against privileged ports). */
  user(c: Pick<Parsed, K>): string;
  /** The JDK (a key under `java`) it runs on; absent for a service from OS packages. */
  java?(c: Pick<Parsed, K>): string;
  /** The ports each of its roles listens on. */
  ports(c: Pick<Parsed, K>, role: Role): PortSpec[];
  /** Its local directories. */
  dirs?(c: Pick<Parsed, K>): DirSpec[];
  /** Cross-field rules of its own (beyond its schema and the generic role, port and dir checks). */
  rules?(ctx: RuleContext): string[];

  /** Its instances on one node, from the node's roles (only called while the service is on). */
  instances(ctx: PlanContext, node: NodeConfig): InstanceSpec[];
  /** What one of its instances takes of its node (memory, cores), for the host preflight. */
  needs?(c: ClusterConfig, s: ServicePlan): NeedSpec[];
  /** OS packages a node needs for the instances of this service it runs. */
  packages?(c: ClusterConfig, kinds: ReadonlySet<ServiceKind>): string[];
  /** Its releases whose shipped conf dir is replaced by a link to the host's (`/etc/<name>/…`), by release. */
  releases?: Partial<Record<ArtifactName, { confDir: string; confSubdir: string }>>;
  /** Jars dropped into its releases (on every node that has the release). */
  jars?(c: ClusterConfig): JarSpec[];
  /** The addresses it offers (only while the service is on). */
  endpoints?(ctx: PlanContext): Partial<Endpoints>;

  /** Files shared by every process of one release on a node, grouped by that release; written once per node. */
  nodeFiles?(plan: Plan, node: NodePlan, secrets: Secrets): Partial<Record<ArtifactName, RenderedFile[]>>;
  /** An instance's own files and its systemd unit. */
  serviceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[];

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
    cls: "hdfs" | "db" | "meta" | "engine";
    /** The arrows from an instance to the ones it talks to. */
    edges?(plan: Plan, s: ServicePlan): Array<{ to: ServicePlan; label: string; dashed?: boolean }>;
  };
}
