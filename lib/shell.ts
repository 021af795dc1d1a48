/**
 * POSIX single-quote quoting: the whole value between single quotes, each embedded quote closed, escaped and
 * reopened. Every shell parses this as one literal word, whatever it contains (spaces, $, `, newlines).
 * Written here rather than taken from a library: it is one line, and libraries such as shell-quote choose
 * backslash escaping that is harder to read in the command text Pulumi shows in diffs.
 */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line that runs a fixed script with quoted arguments: `bash -c '<script>' <name> '<arg>'...`. */
export function scriptCommandLine(scriptName: string, script: string, args: readonly string[], sudo: boolean): string {
  const line = ["bash", "-c", shq(script), shq(scriptName), ...args.map(shq)].join(" ");
  // sudo -n: never prompt (no TTY); the SSH user needs passwordless sudo.
  return sudo ? `sudo -n ${line}` : line;
}
