/** systemd unit files: one generic renderer, so every service runs the same way. */
export interface UnitSpec {
  description: string;
  user: string;
  group: string;
  /** Absolute executable and arguments; each argument is quoted for systemd. */
  exec: string[];
  environment: Record<string, string>;
  workingDirectory?: string;
  /** Extra units to start after (network-online.target always). */
  after?: string[];
  limitNoFile?: number;
  /** Seconds systemd waits for a clean stop before it kills. */
  stopTimeoutSec?: number;
  /** A command run before ExecStart (absolute executable and arguments); a failure fails the start. */
  execStartPre?: string[];
  /** Units started along with this one (`Wants=`), e.g. a timer that serves it. */
  wants?: string[];
}

function checkValue(what: string, v: string): string {
  if (/[\n\r\0]/.test(v)) throw new Error(`${what} contains a newline or NUL`);
  return v;
}
/** A setting that systemd takes as one bare word (user, group, path, unit name). */
function word(what: string, v: string, re: RegExp): string {
  if (!re.test(v)) throw new Error(`${what} ${JSON.stringify(v)} is not valid in a unit file`);
  return v;
}

/**
 * Quote one word for systemd: `%` is a specifier everywhere; `$` expands only in command lines (Exec*=),
 * not in Environment= (systemd.exec(5), systemd.service(5) "Command lines"). Inside double quotes systemd
 * takes C-style escapes, so `\` and `"` are escaped.
 */
export function systemdQuote(v: string, where: "exec" | "environment" = "exec"): string {
  checkValue("unit value", v);
  let escaped = v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%");
  if (where === "exec") escaped = escaped.replace(/\$/g, "$$$$");
  return /[\s"'\\;$%]/.test(v) || v === "" ? `"${escaped}"` : escaped;
}

export function renderUnit(spec: UnitSpec): string {
  if (spec.exec.length === 0 || !spec.exec[0].startsWith("/")) throw new Error("ExecStart needs an absolute executable");
  const unitName = /^[A-Za-z0-9@._:-]+$/;
  const after = ["network-online.target", ...(spec.after ?? []).map((u) => word("unit", u, unitName))];
  const lines = [
    "# Managed by lakehouse-iac: changes here are overwritten on the next apply.",
    "[Unit]",
    descriptionLine(spec.description),
    `Wants=${["network-online.target", ...(spec.wants ?? []).map((u) => word("unit", u, unitName))].join(" ")}`,
    `After=${after.join(" ")}`,
    "",
    "[Service]",
    "Type=simple",
    ...identity(spec),
    ...(spec.workingDirectory ? [`WorkingDirectory=${word("working directory", spec.workingDirectory, /^\/[A-Za-z0-9._/-]*$/)}`] : []),
    ...(spec.execStartPre
      ? [
          `ExecStartPre=${absExec(spec.execStartPre)
            .map((w) => systemdQuote(w, "exec"))
            .join(" ")}`,
        ]
      : []),
    `ExecStart=${spec.exec.map((w) => systemdQuote(w, "exec")).join(" ")}`,
    "Restart=on-failure",
    "RestartSec=10",
    `TimeoutStopSec=${spec.stopTimeoutSec ?? 120}`,
    // JVMs exit with 143 on SIGTERM: a clean stop, not a failure.
    "SuccessExitStatus=143",
    `LimitNOFILE=${spec.limitNoFile ?? 65536}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ];
  return lines.join("\n");
}

/** User=, Group= and Environment= lines of a service: who it runs as, with what environment. */
function identity(spec: Pick<UnitSpec, "user" | "group" | "environment">): string[] {
  return [
    `User=${word("user", spec.user, /^[a-z_][a-z0-9_-]{0,31}$/)}`,
    `Group=${word("group", spec.group, /^[a-z_][a-z0-9_-]{0,31}$/)}`,
    ...Object.entries(spec.environment).map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`bad environment name ${k}`);
      return `Environment=${systemdQuote(`${k}=${v}`, "environment")}`;
    }),
  ];
}

/** `Description=` (`%` is a specifier in every unit setting). */
const descriptionLine = (d: string): string => `Description=${checkValue("description", d).replace(/%/g, "%%")}`;

function absExec(argv: string[]): string[] {
  if (argv.length === 0 || !argv[0].startsWith("/")) throw new Error("an Exec command needs an absolute executable");
  return argv;
}

/** A oneshot service (a task a timer runs): no restart, no install section (its timer starts it). */
export function renderOneshot(spec: Pick<UnitSpec, "description" | "user" | "group" | "exec" | "environment">): string {
  return [
    "# Managed by lakehouse-iac: changes here are overwritten on the next apply.",
    "[Unit]",
    descriptionLine(spec.description),
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    ...identity(spec),
    `ExecStart=${absExec(spec.exec)
      .map((w) => systemdQuote(w, "exec"))
      .join(" ")}`,
    "",
  ].join("\n");
}

/**
 * A timer that runs `unit` every `everySec` seconds after it last ran (and that long after the timer starts).
 * Started by the service that `Wants=` it.
 */
export function renderTimer(spec: { description: string; unit: string; everySec: number }): string {
  if (!Number.isInteger(spec.everySec) || spec.everySec < 60) throw new Error("a timer's period is a whole number of seconds, at least 60");
  return [
    "# Managed by lakehouse-iac: changes here are overwritten on the next apply.",
    "[Unit]",
    descriptionLine(spec.description),
    "",
    "[Timer]",
    `Unit=${word("unit", spec.unit, /^[A-Za-z0-9@._:-]+$/)}`,
    `OnActiveSec=${spec.everySec}`,
    `OnUnitActiveSec=${spec.everySec}`,
    "",
  ].join("\n");
}
