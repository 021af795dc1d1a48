/** The steps later ones wait on, filled in as the services stage makes them (shared with Kerberos and the smoke test). */
import type * as command from "@pulumi/command";

export interface ClusterSteps {
  /** Health gates of the instances made so far, by service id (`trino@cpu-node2`), in plan order. */
  healthy: Record<string, command.remote.Command>;
  /** A cluster-wide step (the warehouse directories, a node's keytabs), made once by whichever instance needs it first. */
  once(key: string, make: () => command.remote.Command): command.remote.Command;
  /** Every step made through `once` so far, in the order made. */
  madeOnce(): command.remote.Command[];
}

/** An empty set of steps. */
export function clusterSteps(): ClusterSteps {
  const healthy: Record<string, command.remote.Command> = {};
  const made = new Map<string, command.remote.Command>();
  return {
    healthy,
    once(key, make) {
      if (!made.has(key)) made.set(key, make());
      return made.get(key)!;
    },
    madeOnce: () => [...made.values()],
  };
}
