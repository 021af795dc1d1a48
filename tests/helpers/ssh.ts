/**
 * SSH for the lab tests' own checks (not for applying the program: that is the real engine's job, lab/stack.ts).
 * Dials like @pulumi/command's provider (a failed dial is retried up to dialErrorLimit), pins the host key
 * when given, feeds stdin, returns the exit code and output.
 */
import { Client } from "ssh2";

export interface Conn {
  host: string;
  port?: number;
  user?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  hostKey?: string;
  perDialTimeout?: number;
  dialErrorLimit?: number;
}

/** A failure to connect (before the command ran): worth another dial, as the provider does. */
class DialError extends Error {}

/**
 * Run `cmd` over SSH. Like @pulumi/command's provider, a failed dial (refused, unreachable, a handshake slower
 * than perDialTimeout) is retried until dialErrorLimit attempts have failed; a command that ran is never re-run.
 */
export async function runSsh(
  conn: Conn,
  cmd: string,
  stdin: string | undefined,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const attempts = Math.max(1, conn.dialErrorLimit ?? 10);
  for (let i = 1; ; i++) {
    try {
      return await runSshOnce(conn, cmd, stdin, timeoutMs);
    } catch (e) {
      if (!(e instanceof DialError) || i >= attempts) throw e instanceof DialError ? new Error(`${e.message} (${i} dial attempts)`) : e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function runSshOnce(
  conn: Conn,
  cmd: string,
  stdin: string | undefined,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const client = new Client();
    let settled = false;
    const done = (f: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        client.end();
        f();
      }
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms on ${conn.host}`))), timeoutMs);
    client
      .on("ready", () => {
        ready = true;
        client.exec(cmd, (err, stream) => {
          if (err) return done(() => reject(err));
          let stdout = "";
          let stderr = "";
          stream.on("data", (d: Buffer) => (stdout += d.toString()));
          stream.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          stream.on("close", (code: number | null) => done(() => resolve({ code: code ?? 255, stdout, stderr })));
          if (stdin !== undefined) stream.end(stdin);
          else stream.end();
        });
      })
      .on("error", (e) => {
        const msg = `ssh ${conn.user ?? "root"}@${conn.host}:${conn.port ?? 22}: ${e.message}`;
        done(() => reject(ready ? new Error(msg) : new DialError(msg)));
      })
      .connect({
        host: conn.host,
        port: conn.port ?? 22,
        username: conn.user ?? "root",
        privateKey: conn.privateKey,
        passphrase: conn.privateKeyPassword,
        readyTimeout: (conn.perDialTimeout ?? 15) * 1000,
        hostVerifier: conn.hostKey
          ? (key: Buffer) => {
              const want = Buffer.from(conn.hostKey!.split(/\s+/)[1] ?? "", "base64");
              return want.equals(key);
            }
          : undefined,
      });
  });
}
