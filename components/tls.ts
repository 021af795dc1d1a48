/**
 * The cluster's TLS identities: a certificate authority on one node, and a certificate for every node.
 * - ClusterCa: tls-ca.sh makes the CA's key and self-signed certificate on `plan.tls.caNode`, once; the key never
 *   leaves that node, and the step is kept on delete (an up after a destroy signs with the same CA). Its
 *   certificate (public) is the stack output `caCertificate`, which clients verify the cluster with.
 * - NodeCertificate: the node makes its own key (tls-node.sh csr; the key never leaves the node either) and prints a
 *   signing request; the CA's node signs it for exactly the node's address and name (tls-ca.sh sign: what the
 *   request asks for is ignored); the node checks the certificate against its key and the CA, and installs both.
 * Only public material (requests, certificates) travels, through the steps' stdin and stdout.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { createHash } from "crypto";
import type { NodePlan, Plan } from "../lib/model";
import { HostHandle, hostCall, runScript } from "./remote";

export interface ClusterCaArgs {
  /** The CA's node. */
  host: HostHandle;
  plan: Plan;
  /** With tls.caCertificate: the user's CA's private key (the secret tlsCaKey), sent on stdin only. */
  key?: pulumi.Output<string>;
  /** Host preparation (openssl) before the CA is made. */
  dependsOn: pulumi.Resource[];
}

export class ClusterCa extends pulumi.ComponentResource {
  readonly host: HostHandle;
  /** The step that made (or found) the CA: signing waits for it. */
  readonly made: command.remote.Command;
  /** The CA certificate, PEM. Not secret: it is what clients trust. */
  readonly certificate: pulumi.Output<string>;
  /** `triggers` of the signing steps: a changed CA replaces them (re-signs every node). */
  readonly signTriggers?: string[];

  constructor(name: string, args: ClusterCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:tls:ClusterCa", name, {}, opts);
    const t = args.plan.tls;
    this.host = args.host;
    this.made =
      t.caCertificate === undefined
        ? runScript(
            `${name}-init`,
            { host: args.host, ...hostCall("tls-ca.sh init", { dir: t.caDir, cn: t.caName, days: String(t.caDays) }) },
            { parent: this, dependsOn: args.dependsOn, retainOnDelete: true },
          )
        : runScript(
            `${name}-import`,
            {
              host: args.host,
              ...hostCall("tls-ca-import.sh", { dir: t.caDir }),
              stdin: pulumi.all([args.key!, t.caCertificate]).apply(([k, crt]) => `${k.trim()}\n${crt.trim()}\n`),
              secretStdin: true,
            },
            { parent: this, dependsOn: args.dependsOn, retainOnDelete: true },
          );
    // The certificates it signs: with the user's CA, re-signed whenever that CA changes (the stack's own is made once).
    this.signTriggers = t.caCertificate === undefined ? undefined : [certificateSha256(t.caCertificate)];
    // Public either way (the import's stdout is kept secret only because its stdin carries the key).
    this.certificate = pulumi.unsecret(this.made.stdout.apply((s) => `${s.trim()}\n`));
    this.registerOutputs({ node: t.caNode, certificate: this.certificate });
  }
}

export interface NodeCertificateArgs {
  host: HostHandle;
  node: NodePlan;
  plan: Plan;
  ca: ClusterCa;
  dependsOn: pulumi.Resource[];
}

/** SHA-256 of a PEM certificate's DER bytes: `openssl x509 -outform DER | sha256sum`, the usual fingerprint. */
export function certificateSha256(pem: string): string {
  const b64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!b64) throw new Error("certificateSha256: no PEM certificate");
  return createHash("sha256")
    .update(Buffer.from(b64.replace(/\s+/g, ""), "base64"))
    .digest("hex");
}

export class NodeCertificate extends pulumi.ComponentResource {
  /** The certificate and the CA certificate are installed on the node: services that use them wait for it. */
  readonly installed: command.remote.Command;
  /** The installed certificate's SHA-256 (not secret): steps that copy the certificate re-run when it changes. */
  readonly sha256: pulumi.Output<string>;

  constructor(name: string, args: NodeCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:tls:NodeCertificate", name, {}, opts);
    const t = args.plan.tls;
    const n = args.node;
    const csr = runScript(
      `${name}-csr`,
      { host: args.host, ...hostCall("tls-node.sh csr", { dir: t.dir, cn: n.name }) },
      { parent: this, dependsOn: args.dependsOn },
    );
    // Signed on the CA's node, for the names the plan gives (re-signed when they, the request or the days change).
    const signed = runScript(
      `${name}-sign`,
      {
        host: args.ca.host,
        ...hostCall("tls-ca.sh sign", { dir: t.caDir, days: String(t.certificateDays), cn: n.name, names: [n.host, n.name] }),
        stdin: csr.stdout,
        triggers: args.ca.signTriggers,
      },
      { parent: this, dependsOn: [args.ca.made] },
    );
    this.installed = runScript(
      `${name}-install`,
      {
        host: args.host,
        ...hostCall("tls-node.sh install", { dir: t.dir }),
        stdin: pulumi.all([signed.stdout, args.ca.certificate]).apply(([crt, ca]) => `${crt.trim()}\n${ca.trim()}\n`),
      },
      { parent: this, dependsOn: [signed] },
    );
    // A certificate is public; its hash is the only part of it other steps take (as an argument).
    this.sha256 = pulumi.unsecret(signed.stdout.apply(certificateSha256));
    this.registerOutputs({ sha256: this.sha256 });
  }
}

/** What a service's keystore step needs (keystoreStep). */
export interface KeystoreArgs {
  host: HostHandle;
  /** The node's certificate: the step waits for it, and re-runs when it is re-signed. */
  certificate: NodeCertificate;
  /**
   * tls-keystore.sh's format: pem (no password), p12 (key and certificate), truststore (the CA alone) or cacerts
   * (the CA alone, every user's to read: its owner is root, its password public).
   */
  format: "pem" | "p12" | "truststore" | "cacerts";
  tlsDir: string;
  dest: string;
  owner: string;
  /** p12 and truststore: the store's password, sent on stdin only. */
  password?: pulumi.Output<string>;
  /** truststore, cacerts: the JDK whose keytool makes it. */
  javaHome?: string;
  dependsOn: pulumi.Resource[];
}

/**
 * A service's keystore, made on its node from the node's key and certificate (tls-keystore.sh; the key never
 * leaves the node). Its stdout, the certificate's SHA-256, is what a service joins to its restart hash
 * (afterStep): a re-signed certificate restarts it.
 */
export function keystoreStep(name: string, a: KeystoreArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const common = { tls_dir: a.tlsDir, dest: a.dest, owner: a.owner, cert_sha256: a.certificate.sha256 };
  const call =
    a.format === "truststore" || a.format === "cacerts"
      ? hostCall(`tls-keystore.sh ${a.format}`, { ...common, java_home: a.javaHome! })
      : a.format === "p12"
        ? hostCall("tls-keystore.sh p12", common)
        : hostCall("tls-keystore.sh pem", common);
  const stdin = a.password ? { stdin: a.password.apply((p) => `${p}\n`), secretStdin: true } : {};
  return runScript(name, { host: a.host, ...call, ...stdin }, { ...opts, dependsOn: [...a.dependsOn, a.certificate.installed] });
}
