/**
 * How an instance runs, as one spec per instance (its service's descriptor's `process`, built in
 * services/<name>/files.ts), and the one runtime that runs it: a systemd unit (config-templates/systemd.ts).
 *
 * A JVM's options reach it the way its launcher reads them (its spec's carrier): an environment variable of its
 * unit, a file its launcher reads, or keys of its service's own config file. Every carrier writes the same list,
 * `jvmOptions`: the instance's own options, then the cluster's (`Plan.jvmOptions`), so an option every JVM gets
 * (a metrics agent) is one change there, whatever the carrier. A second runtime (containers) renders the same
 * specs.
 */
import type { Plan, ServicePlan } from "../lib/model";
import type { ClusterConfig } from "../lib/config";
import type { PortSpec } from "../services/descriptor";
import type { Role, ServiceKind } from "../services/sections";
import { file, logDirOf, type RenderedFile } from "./common";
import { xmx } from "./java";
import { renderUnit, type UnitSpec } from "./systemd";

declare module "../lib/model" {
  interface Plan {
    /**
     * JVM options every JVM instance of the cluster gets after its own, through its carrier (a metrics agent's
     * `-javaagent:…`). Nothing sets them yet: absent, every JVM runs with its own options only.
     */
    jvmOptions?: readonly string[];
  }
}

/** A JVM option, or one with the reason a file carrier writes above it as a comment. */
export type JvmOption = string | { option: string; note: string };

/** The heap's size itself in each of these variables of the unit, which the launcher turns into -Xmx. */
export interface HeapVariables {
  variables: readonly string[];
}
/** The heap in a setting of the service's own config file, written from the spec by its renderer. */
export interface HeapKey {
  file: string;
  key: string;
}

/**
 * The options in an environment variable of the unit, which the launcher adds to the JVM's command line (absent
 * while empty). The heap: -Xmx leading the variable, unless `heap` says where else it goes.
 */
export interface EnvironmentCarrier {
  kind: "environment";
  variable: string;
  heap?: HeapVariables | HeapKey;
}
/** A file the launcher reads, written whole from the spec by the service's renderer (heap included). */
export interface FileCarrier {
  kind: "file";
  path: string;
}
/**
 * A key of the service's own config file, which its renderer writes from the spec (while there are options).
 * The launcher sizes such a JVM from settings of its own: a spec with this carrier has no heap.
 */
export interface ConfigCarrier {
  kind: "config";
  file: string;
  key: string;
}
export type JvmCarrier = EnvironmentCarrier | FileCarrier | ConfigCarrier;

/** A JVM instance's heap and options, and how they reach it. */
export interface JvmSpec<C extends JvmCarrier = JvmCarrier> {
  /** Its maximum heap (a JVM size: 512m, 4g), where the program sets one. */
  heap?: string;
  /** Its own options, in order (not the heap's -Xmx, which the carrier places). */
  options: readonly JvmOption[];
  carrier: C;
}

/**
 * An endpoint that serves the instance's metrics for scraping. Nothing fills it yet: typed here so that
 * monitoring declares it per instance, beside the agent option that serves it.
 */
export interface MetricsEndpoint {
  port: number;
  /** `/metrics` */
  path: string;
  scheme: "http" | "https";
}

/**
 * One instance's process: what it runs (absolute executable and arguments), with what environment, and how
 * systemd treats it (as UnitSpec has them; the runtime runs it as its service user, in its log directory, where
 * JVM crash files land); its JVM, the ports it listens on, and where it serves metrics.
 */
export interface ProcessSpec extends Omit<UnitSpec, "user" | "group" | "workingDirectory"> {
  jvm?: JvmSpec;
  /** The ports of its roles (its descriptor's `ports`). */
  ports: readonly PortSpec[];
  metrics?: MetricsEndpoint;
}
/** A ProcessSpec as a service builds it; its descriptor's `process` adds its roles' ports (instancePorts). */
export type ProcessRun = Omit<ProcessSpec, "ports">;

const optionText = (o: JvmOption): string => (typeof o === "string" ? o : o.option);

/** The options a JVM gets, in order: its own, then the cluster's. Every carrier writes this list. */
export function jvmOptions(plan: Plan, jvm: JvmSpec): JvmOption[] {
  return [...jvm.options, ...(plan.jvmOptions ?? [])];
}
/** The options as one line, as an environment variable or a config key holds them (notes dropped). */
export const jvmOptionsLine = (plan: Plan, jvm: JvmSpec): string => jvmOptions(plan, jvm).map(optionText).join(" ");
/** The options one a line, each note a `#` comment above its option: a file carrier's lines. */
export const jvmOptionLines = (plan: Plan, jvm: JvmSpec): string[] =>
  jvmOptions(plan, jvm).flatMap((o) => (typeof o === "string" ? [o] : [`# ${o.note}`, o.option]));

/** The unit variables an environment carrier sets: the heap's, then the options' (absent while empty). */
function carrierEnvironment(plan: Plan, jvm: JvmSpec | undefined): Record<string, string> {
  if (jvm?.carrier.kind !== "environment") return {};
  const { variable, heap } = jvm.carrier;
  const env: Record<string, string> = {};
  if (jvm.heap !== undefined && heap && "variables" in heap) for (const name of heap.variables) env[name] = jvm.heap;
  const leading = jvm.heap !== undefined && !heap ? [xmx(jvm.heap)] : [];
  const line = [...leading, jvmOptionsLine(plan, jvm)].filter((x) => x !== "").join(" ");
  if (line !== "") env[variable] = line;
  return env;
}

/**
 * The runtime: an instance's systemd unit, run as its service user in its log directory, with its JVM's
 * options where an environment carrier puts them (a file or config carrier's are in its service's own files).
 */
export function processUnit(plan: Plan, s: ServicePlan, spec: ProcessRun): RenderedFile {
  const c = plan.config;
  const jvmEnv = carrierEnvironment(plan, spec.jvm);
  for (const name of Object.keys(jvmEnv))
    if (name in spec.environment) throw new Error(`internal: ${s.id} sets ${name}, which its JVM's carrier writes`);
  const { description, exec, after, limitNoFile, stopTimeoutSec, execStartPre, wants } = spec;
  const rendered = renderUnit({
    description,
    exec,
    environment: { ...spec.environment, ...jvmEnv },
    after,
    limitNoFile,
    stopTimeoutSec,
    execStartPre,
    wants,
    user: s.user,
    group: c.serviceGroup,
    workingDirectory: logDirOf(s.user),
  });
  return file(c, `/etc/systemd/system/${s.unit}.service`, rendered);
}

/** What instancePorts reads of a service's descriptor: its section's roles and their ports. */
export interface PortsOfRoles {
  section: { readonly roles: ReadonlyArray<{ readonly name: Role; readonly kind: ServiceKind }> };
  ports(c: ClusterConfig, role: Role): PortSpec[];
}

/**
 * The ports an instance listens on: its descriptor's for each of its roles on its node that runs its kind (a
 * joined role's once).
 */
export function instancePorts(d: PortsOfRoles, plan: Plan, s: ServicePlan): PortSpec[] {
  const node = plan.nodes.find((n) => n.name === s.node);
  if (!node) throw new Error(`internal: ${s.id} is on no node of the plan`);
  const runsIt = (r: Role) => d.section.roles.some((x) => x.name === r && x.kind === s.kind);
  const ports = node.roles.filter(runsIt).flatMap((r) => d.ports(plan.config, r));
  return ports.filter((p, i) => ports.findIndex((q) => q.port === p.port) === i);
}
