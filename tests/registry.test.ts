/**
 * The service registry: every generic layer (validation, plan, rendering, component types, diagram) works
 * from the descriptors, so each test here iterates the registry and fails for a descriptor whose part is not
 * taken up (a port not checked, a dir not made, a switch that does not switch, an instance without a role).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_SECRETS, ClusterConfig, nodeSchema, SECRET_KEYS, SECRETS } from "../lib/config";
import type { SecretDecl } from "../services/secret";
import { buildPlan, clientRelease, hostClient, superuserGroup } from "../lib/plan";
import { managedHostDirs } from "../lib/config/host-dirs";
import { DIAGRAM_CLASSES } from "../services/descriptor";
import { renderDiagram } from "../lib/diagram";
import { renderServiceFiles } from "../config-templates";
import { serviceType } from "../components/stages/services";
import { DESCRIPTORS, ROLE_DEFS, ROLES, SECTIONS, SERVICES, ServiceDescriptor, descriptorOf } from "../services";
import { createSecrets, type SecretOutputValues } from "../components/stages/secrets";
import { stackOutputs } from "../components/stages/outputs";
import { securityPosture } from "../lib/security";
import { FAKE_SECRETS, loadStack, planFor, problems } from "./helpers/stacks";

test("every role belongs to one service; a service's kinds are its own; the schema takes exactly the registry's roles", () => {
  assert.deepEqual(
    ROLES,
    SECTIONS.flatMap((s) => s.roles.map((r) => r.name)),
  );
  assert.equal(new Set(ROLES).size, ROLES.length, "a role is declared twice");
  for (const r of ROLE_DEFS) {
    const owners = new Set(ROLE_DEFS.filter((x) => x.kind === r.kind).map((x) => x.service));
    assert.deepEqual([...owners], [r.service], `kind ${r.kind} is claimed by ${[...owners].join(", ")}`);
  }
  assert.deepEqual(
    Object.keys(SERVICES),
    SECTIONS.map((s) => s.key),
  );
  for (const d of DESCRIPTORS) assert.equal(SERVICES[d.section.key], d);
  const node = { name: "n1", host: "10.0.0.1" };
  for (const role of ROLES) assert.ok(nodeSchema.safeParse({ ...node, roles: [role] }).success, `${role} refused by the schema`);
  assert.ok(!nodeSchema.safeParse({ ...node, roles: ["kafka-broker"] }).success, "a role no service declares was accepted");
});

test("every instance of the dev and prod plans comes from a role of its node, with its descriptor's component type, files and label", () => {
  for (const stack of ["dev", "prod"] as const) {
    const plan = planFor(stack);
    for (const s of plan.services) {
      const node = plan.nodes.find((n) => n.name === s.node)!;
      const d = descriptorOf(s.kind);
      assert.ok(
        node.roles.some((r) => ROLE_DEFS.find((x) => x.name === r)!.kind === s.kind),
        `${s.id}: no role of ${node.name} (${node.roles.join(", ")}) runs a ${s.kind}`,
      );
      assert.match(serviceType(s), new RegExp(`^lakehouse:[a-z]+:[A-Z][A-Za-z]+$`), s.id);
      assert.equal(serviceType(s), d.componentType(s));
      assert.ok(Object.values(d.types).includes(d.componentType(s)), `${s.id}: its component type is not one of its descriptor's types`);
      // PostgreSQL and the KDC run from the Debian packages' own units (the KDC's with a drop-in).
      if (s.kind !== "postgres" && s.kind !== "kdc") {
        const unit = renderServiceFiles(plan, s, FAKE_SECRETS).find((f) => f.path === `/etc/systemd/system/${s.unit}.service`);
        assert.ok(unit, `${s.id}: its descriptor renders no unit ${s.unit}.service`);
        assert.match(unit.content, new RegExp(`^User=${s.user}$`, "m"));
      }
      assert.ok(renderDiagram(plan, stack).includes(d.diagram.label(plan, s)), `${s.id}: its label is not in the diagram`);
    }
    // Every role a node lists is run by an instance on it.
    for (const n of plan.nodes)
      for (const r of n.roles) {
        const kind = ROLE_DEFS.find((x) => x.name === r)!.kind;
        assert.ok(
          n.services.some((s) => s.kind === kind),
          `${n.name}: role ${r} has no ${kind} instance`,
        );
      }
  }
});

test("each descriptor's ports are checked by key (here: put on SSH's port, each is refused)", () => {
  const dev = loadStack("dev");
  const checked: string[] = [];
  for (const d of DESCRIPTORS as ServiceDescriptor[]) {
    for (const role of d.section.roles.map((r) => r.name)) {
      for (const p of d.ports(dev, role)) {
        // Put the port on the SSH port: refused, by its key.
        // A key one or two levels deep: trino.httpPort, trino.https.port.
        const [section, field, sub] = p.key.split(".");
        const ps = problems((v) => {
          const sec = (v[section] = { ...(v[section] ?? {}) });
          if (sub === undefined) sec[field] = 22;
          else sec[field] = { ...(sec[field] ?? {}), [sub]: 22 };
        });
        assert.ok(
          ps.some((x) => x.startsWith(`${p.key}: 22 is SSH's port`)),
          `${p.key} (${p.what}) on port 22 was not refused:\n${ps.join("\n")}`,
        );
        checked.push(p.key);
      }
    }
  }
  assert.ok(checked.length >= 13, `only ${checked.length} ports declared`);
});

test("each descriptor's directories are made on the nodes of their roles and checked for /", () => {
  const dev = loadStack("dev");
  const plan = buildPlan(dev);
  let dirs = 0;
  for (const d of DESCRIPTORS as ServiceDescriptor[]) {
    for (const spec of d.dirs?.(dev) ?? []) {
      dirs++;
      for (const n of plan.nodes) {
        const wants = spec.roles.some((r) => n.roles.includes(r));
        const made = n.dirs.find((x) => x.path === spec.path);
        assert.equal(Boolean(made), wants, `${spec.key} on ${n.name}`);
        if (made) assert.deepEqual(made, { path: spec.path, owner: spec.owner, mode: spec.mode, key: spec.key });
      }
      const m = /^([a-z]+)\.([A-Za-z]+)(?:\[(\d+)\])?$/.exec(spec.key)!;
      const ps = problems((v) => {
        const sec = (v[m[1]] = { ...(v[m[1]] ?? {}) });
        if (m[3] === undefined) sec[m[2]] = "/";
        else sec[m[2]] = Object.assign([...(dev as any)[m[1]][m[2]]], { [Number(m[3])]: "/" });
      });
      assert.ok(
        ps.some((x) => x.startsWith(`${spec.key}: must not be /`)),
        `${spec.key} = / not refused:\n${ps.join("\n")}`,
      );
    }
  }
  assert.ok(dirs >= 4);
});

test("a switchable service switched off has no instances, files, endpoints or packages; listing its roles is refused", () => {
  for (const d of (DESCRIPTORS as ServiceDescriptor[]).filter((x) => x.section.switchable)) {
    const key = d.section.key;
    const roles = d.section.roles.map((r) => r.name as string);
    const kinds = new Set(d.section.roles.map((r) => r.kind as string));
    const off = loadStack("dev", (v) => {
      v[key] = { ...(v[key] ?? {}), enabled: false };
      for (const n of v.nodes) n.roles = n.roles.filter((r: string) => !roles.includes(r));
    });
    const plan = buildPlan(off);
    assert.deepEqual(
      plan.services.filter((s) => kinds.has(s.kind)),
      [],
      `${key}.enabled=false still plans instances`,
    );
    const on = planFor("dev");
    const ownEndpoints = Object.keys(
      d.endpoints?.({ c: on.config, holder: () => on.config.nodes[0], idOf: () => "", idsOf: () => [] }) ?? {},
    );
    for (const e of ownEndpoints) assert.equal((plan.endpoints as any)[e], undefined, `${key} off still has endpoint ${e}`);
    for (const n of plan.nodes)
      for (const p of d.packages?.(on.config, kinds as any) ?? []) assert.ok(!n.packages.includes(p), `${n.name}: ${p}`);
    const ps = problems((v) => {
      v[key] = { ...(v[key] ?? {}), enabled: false };
      // A service the dev stack leaves off (Kerberos) has its role listed here, so the refusal has something to refuse.
      if (!v.nodes.some((n: any) => n.roles.includes(roles[0]))) v.nodes[0].roles.push(roles[0]);
    });
    assert.ok(
      ps.some((x) => x.includes(`is listed but ${key}.enabled is false`)),
      `${key}: roles listed while off were not refused:\n${ps.join("\n")}`,
    );
  }
});

test("secrets: each declared once (the cluster's or one service's), with its rotation; every secret output a stack output, secret", async () => {
  const declared = [Object.keys(CLUSTER_SECRETS), ...SECTIONS.map((s) => Object.keys(s.secrets))].flat();
  assert.deepEqual([...declared].sort(), Object.keys(SECRETS).sort(), "a secret is declared twice");
  // Config keys: none is also a section's or a cluster key of the schema's own.
  for (const k of SECRET_KEYS) assert.ok(!SECTIONS.some((s) => (s.key as string) === k), `${k} is also a section`);
  const decls = Object.entries(SECRETS) as Array<[string, SecretDecl<ClusterConfig>]>;
  const resources = decls.flatMap(([, d]) =>
    d.generate === false ? [] : [d.generate.kind === "password" ? d.generate.resource : d.generate.resource("*")],
  );
  assert.equal(new Set(resources).size, resources.length, `a RandomPassword name is declared twice: ${resources.join(", ")}`);
  for (const [name, d] of decls) assert.ok(d.rotation.trim().length > 20, `${name}: say how it rotates`);
  // The stack's outputs (what index.ts exports) hold each declared output, from the secrets stage, secret.
  const outputs = decls.flatMap(([, d]) => (d.output ? [d.output.name] : []));
  const made = await mockedSecretOutputs(loadStack("dev"));
  assert.deepEqual(Object.keys(made).sort(), [...outputs].sort(), "the secrets stage makes exactly the declared outputs");
  const stack = stackOutputs({ plan: planFor("dev"), ca: { certificate: pulumi.output("PEM") }, secretOutputs: made });
  for (const name of outputs) {
    const v = stack[name];
    assert.ok(pulumi.Output.isInstance(v), `${name} is no stack output`);
    assert.ok(await pulumi.isSecret(v), `the stack output ${name} is not secret`);
    assert.deepEqual(await valueOf(v), await valueOf((made as Record<string, pulumi.Output<unknown>>)[name]), name);
  }
});

/** Each declared secret output as the secrets stage makes it (its RandomPasswords under Pulumi's mocks). */
async function mockedSecretOutputs(c: ClusterConfig): Promise<SecretOutputValues> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, result: `generated-${args.name}` } }),
      call: (args) => args.inputs,
    },
    "lakehouse",
    "dev",
    false,
  );
  return createSecrets(c, {}, {}).outputs;
}

/** An output's value (a program's apply, outside a preview). */
const valueOf = (o: pulumi.Output<unknown>): Promise<unknown> => new Promise((resolve) => o.apply((v) => (resolve(v), v)));

test("stack outputs: every service's, on or off, with its plan's value and a description; the cluster's; no name twice", () => {
  const on = (v: Record<string, any>) => {
    v.kerberos = { enabled: true };
    v.nodes[0].roles.push("kdc");
  };
  const enginesOff = (v: Record<string, any>) => {
    for (const k of ["trino", "spark", "flink"]) v[k] = { ...v[k], enabled: false };
    v.nodes = v.nodes.map((n: { roles: string[] }) => ({ ...n, roles: n.roles.filter((r) => !/^(trino|spark|flink)-/.test(r)) }));
  };
  const secretOutputs = {} as SecretOutputValues;
  for (const plan of [planFor("dev"), planFor("prod"), planFor("dev", on), planFor("dev", enginesOff)]) {
    const e = plan.endpoints;
    const stack = stackOutputs({ plan, ca: { certificate: pulumi.output("PEM") }, secretOutputs });
    // The outputs users read, by name, each with the value it has always had.
    assert.deepEqual(
      { ...stack },
      {
        trinoUrl: e.trinoUrl,
        metastoreUri: e.metastoreUri,
        nameNodeUi: e.nameNodeUi,
        defaultFS: e.defaultFS,
        jdbcUrl: e.postgresJdbcUrl,
        sparkMasterUrl: e.sparkMasterUrl,
        sparkMasterUi: e.sparkMasterUi,
        flinkUi: e.flinkUi,
        warehouse: e.warehouse,
        kerberos: e.kerberos ?? { status: "not enabled (set kerberos.enabled: true)" },
        smokeTest: { status: "not enabled (set smokeTest.enabled: true)" },
        caCertificate: stack.caCertificate,
        security: securityPosture(plan),
        nodes: plan.nodes.map((n) => ({ name: n.name, host: n.host, roles: n.roles })),
      },
    );
    for (const d of DESCRIPTORS)
      for (const [name, o] of Object.entries(d.outputs ?? {})) {
        assert.deepEqual(stack[name], o.value(plan), `${d.section.key}: ${name}`);
        assert.ok(o.description.trim().length > 20, `${d.section.key}: say what ${name} is`);
      }
  }
  // A name offered twice (here a secret output named like a service's) is refused, not silently overwritten.
  assert.throws(
    () =>
      stackOutputs({
        plan: planFor("dev"),
        ca: { certificate: pulumi.output("PEM") },
        secretOutputs: { trinoUrl: pulumi.output("") } as never,
      }),
    /stack outputs offered twice: trinoUrl/,
  );
});

test("cluster-wide facts come from one service each: the client release, the superuser group, each plan field", () => {
  const c = loadStack("dev");
  const plan = buildPlan(c);
  const declaring = (has: (d: ServiceDescriptor) => boolean) => DESCRIPTORS.filter(has).map((d) => d.section.key);
  assert.deepEqual(
    declaring((d) => d.client !== undefined),
    ["hdfs"],
  );
  assert.deepEqual(
    declaring((d) => d.superusers !== undefined),
    ["hdfs"],
  );
  for (const field of ["clusterId", "hadoopConfDir"] as const) {
    assert.equal(declaring((d) => d.enabled(c) && d.planFields?.(c)[field] !== undefined).length, 1, `plan.${field}`);
    assert.ok(plan[field], `plan.${field} is set`);
  }
  // Every node with a release has the client release, and the JDK its tools run on.
  const client = hostClient(c)!;
  assert.equal(client.release, clientRelease());
  for (const n of plan.nodes.filter((x) => x.artifacts.length > 0)) {
    assert.equal(n.artifacts[0], client.release, n.name);
    const jdkOf = c.java[client.java];
    assert.ok(n.packages.includes(jdkOf.package!) || n.jdkArchives.some((j) => j.major === client.java), n.name);
  }
  assert.deepEqual(superuserGroup(c), { group: c.hdfs.adminGroup, user: c.hdfs.user });
  // Users of the OS or its packages are never made; every other service user is, on the nodes that run it.
  const system = new Set(DESCRIPTORS.filter((d) => d.systemUser).map((d) => d.user(c)));
  assert.deepEqual([...system].sort(), ["postgres", "root"]);
  for (const n of plan.nodes) assert.deepEqual(n.users, [...new Set(n.services.map((s) => s.user).filter((u) => !system.has(u)))], n.name);
});

test("each descriptor's managed and release directories are refused as a service's directory; a joined role's ports count once", () => {
  const c = loadStack("dev");
  const managed = managedHostDirs(c);
  for (const d of DESCRIPTORS) {
    for (const [release, r] of Object.entries(d.releases ?? {})) {
      assert.ok(
        managed.some((m) => m.path === r.confDir && m.what === `${release}'s configuration`),
        `${release}: its conf dir`,
      );
      assert.ok(
        managed.some((m) => m.path === `/opt/${release}` && m.what === `the ${release} release`),
        `${release}: its release dir`,
      );
    }
    for (const m of d.managedDirs?.(c) ?? []) {
      assert.match(m.path, /^\/[^ ]+$/, `${d.section.key}: ${m.path}`);
      const ps = problems((v) => (v.spark = { ...v.spark, workDir: m.path }));
      assert.ok(
        ps.some((p) => p.startsWith(`spark.workDir: ${m.path} is ${m.path}, ${m.what}, which the program manages`)),
        ps.join("\n"),
      );
    }
    // A role joins only another role of its own service.
    for (const [role, joined] of Object.entries(d.joins ?? {}) as Array<[string, string]>) {
      const own = d.section.roles.map((r) => r.name as string);
      assert.ok(own.includes(role) && own.includes(joined) && role !== joined, `${d.section.key}: ${role} joins ${joined}`);
      // Both on one node: one process, whose ports collide with nothing.
      const both = (v: Record<string, any>) => {
        for (const r of [joined, role]) if (!v.nodes[0].roles.includes(r)) v.nodes[0].roles.push(r);
      };
      assert.doesNotThrow(() => loadStack("dev", both));
    }
  }
});

test("the diagram's colour classes are the descriptor type's, each defined once and given to the instances of its services", () => {
  const plan = planFor("dev");
  const diagram = renderDiagram(plan, "dev");
  for (const [cls, style] of Object.entries(DIAGRAM_CLASSES)) assert.ok(diagram.includes(`    classDef ${cls} ${style}\n`), cls);
  for (const d of DESCRIPTORS) assert.ok(d.diagram.cls in DIAGRAM_CLASSES, d.section.key);
});
