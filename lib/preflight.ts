/**
 * The host preflight's half that is pure: from the plan, what one node must offer (memory for every heap and
 * process size planned on it plus the reserve, the cores its Spark workers promise, room under each data dir)
 * and the keys behind each need, as the parameters of components/scripts/host-preflight.sh. The host reads its
 * own facts and compares; nothing here touches a host.
 */
import { parseSize } from "./config/primitives";
import type { NodePlan, Plan } from "./model";

const MIB = 1024 * 1024;

export interface PreflightParams {
  node: string;
  supported_os: string;
  memory_mib: string;
  memory_detail: string;
  cores: string;
  cores_detail: string;
  min_free_mib: string;
  dirs: string[];
}

/** What `node` must offer, with the keys behind it, for host-preflight.sh. */
export function preflightParams(plan: Plan, node: NodePlan): PreflightParams {
  const pf = plan.config.preflight;
  const mem = node.needs.filter((n) => n.memory !== undefined);
  const cores = node.needs.filter((n) => n.cores !== undefined);
  const memoryMib = Math.ceil((mem.reduce((sum, n) => sum + parseSize(n.memory!), 0) + parseSize(pf.memoryReserve)) / MIB);
  const memoryDetail = [...mem.map((n) => `${n.key} ${n.memory} for ${n.instance}`), `preflight.memoryReserve ${pf.memoryReserve}`].join(
    ", ",
  );
  return {
    node: node.name,
    supported_os: pf.supportedOs.join(","),
    memory_mib: String(memoryMib),
    memory_detail: memoryDetail,
    cores: String(cores.reduce((sum, n) => sum + n.cores!, 0)),
    cores_detail: cores.map((n) => `${n.key} ${n.cores} for ${n.instance}`).join(", ") || "none",
    min_free_mib: String(pf.minFreeDiskMiB),
    // Only the dirs a config key names (data and work dirs): the log dirs live under /var/log, made by the program.
    dirs: node.dirs.filter((d) => d.key !== undefined).map((d) => `${d.key}=${d.path}`),
  };
}
