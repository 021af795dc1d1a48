import { createHash } from "crypto";

/**
 * POSIX single-quote quoting: the whole value between single quotes, each embedded quote closed, escaped and
 * reopened. Every shell parses this as one literal word, whatever it contains (spaces, $, `, newlines).
 * Written here rather than taken from a library: it is one line, and libraries such as shell-quote choose
 * backslash escaping that is harder to read in the command text Pulumi shows in diffs.
 */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Where host scripts are installed, each under a name that carries its content hash. */
export const HOST_BIN = "/var/lib/lakehouse-iac/bin";

/**
 * The installed name of a host script: `<stem>-<first 12 hex of its SHA-256>.sh`. A changed script is a new
 * file, so every command that calls it changes (and re-runs), and the commands kept in state for deletes
 * still find the version they were created with.
 */
export function installedScriptName(scriptName: string, content: string): string {
  const stem = scriptName.replace(/\.sh$/, "");
  return `${stem}-${createHash("sha256").update(content).digest("hex").slice(0, 12)}.sh`;
}

/**
 * A command line that runs an installed host script with quoted arguments, under a time limit the host enforces:
 * `sudo -n timeout --kill-after=30s <N>s /var/lib/lakehouse-iac/bin/<name>-<hash>.sh '<arg>'...`.
 * The engine's customTimeouts do not stop a remote command that is running (a hung apt-get or a download that
 * stalls would hold `pulumi up` forever), so coreutils' timeout does: TERM to the script's whole process group
 * after N seconds, KILL 30 s later; the step then fails with exit status 124 (137 if it had to be killed).
 * The script itself is not in the command text: a failed step's error (which the engine fills with the command
 * text) stays a few lines long.
 */
export function scriptCommandLine(
  scriptName: string,
  content: string,
  args: readonly string[],
  sudo: boolean,
  timeoutSeconds: number,
): string {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1)
    throw new Error(`scriptCommandLine: timeoutSeconds must be a positive integer, got ${timeoutSeconds}`);
  const line = [
    "timeout",
    "--kill-after=30s",
    `${timeoutSeconds}s`,
    `${HOST_BIN}/${installedScriptName(scriptName, content)}`,
    ...args.map(shq),
  ].join(" ");
  // sudo -n: never prompt (no TTY); the SSH user needs passwordless sudo.
  return sudo ? `sudo -n ${line}` : line;
}

/**
 * The inline installer of the host scripts (the one command text that carries a script): reads
 * `<installed name>\t<base64 content>` lines on stdin and writes each into HOST_BIN, atomically, once.
 * Older versions stay: deletes recorded in state call the version they were created with.
 */
export function scriptInstallerCommand(sudo: boolean): string {
  const body = [
    "set -euo pipefail",
    `d=${shq(HOST_BIN)}`,
    'install -d -m 0755 -- "$d"',
    "n=0",
    "while IFS=$'\\t' read -r name b64; do",
    '  [ -n "$name" ] || continue',
    '  case "$name" in */*|.*) echo "refusing script name: $name" >&2; exit 2 ;; esac',
    '  [ -f "$d/$name" ] && continue',
    '  tmp=$(mktemp "$d/.install.XXXXXX")',
    '  base64 -d <<<"$b64" >"$tmp"',
    '  chmod 0755 -- "$tmp"',
    '  mv -f -- "$tmp" "$d/$name"',
    "  n=$((n + 1))",
    "done",
    'echo "host scripts installed: $n new"',
  ].join("\n");
  const line = `bash -c ${shq(body)}`;
  return sudo ? `sudo -n ${line}` : line;
}
