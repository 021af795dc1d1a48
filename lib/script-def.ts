/**
 * The shape of a host script's definition (lib/host-scripts.ts reads them): its parameters, in order, and where
 * its source lives. Types only and no imports, so that the services' script definitions (services/<name>/scripts.ts)
 * and lib/host-scripts.ts, which assembles them, both depend on it and on nothing of each other's but the registry
 * (services/scripts.ts).
 */

export interface ParamsDef {
  /** Parameter names, in order: the script's variable names and the callers' keys. */
  readonly params: readonly string[];
  /** The arguments after the parameters ("$@" once they are shifted off): name and least count. */
  readonly rest?: { readonly name: string; readonly min: number };
  /** The script reads its arguments itself ("$@" untouched): only the count is checked. */
  readonly passThrough?: boolean;
}

export interface ScriptDef extends ParamsDef {
  /** Sub-commands, picked by the first argument (assigned to `commandVar`); each has its own parameters. */
  readonly commands?: Readonly<Record<string, ParamsDef>>;
  readonly commandVar?: string;
}

/** A folder of host scripts and their definitions: each `<dir>/<name>` is the source of the script `<name>`. */
export interface ScriptSet {
  /** Absolute path of the folder. */
  readonly dir: string;
  readonly scripts: Readonly<Record<string, ScriptDef>>;
}

/**
 * A service's parts of generic host scripts: each `<dir>/<script>` is its fragment of the generic script
 * `<script>` (put in at that script's `# @parts` line), reading `params`, which the script takes after its own
 * and the parts' before it (services/scripts.ts gives the order).
 */
export interface ScriptPartSet {
  /** Absolute path of the folder. */
  readonly dir: string;
  readonly parts: Readonly<Record<string, { readonly params: readonly string[] }>>;
}
