/**
 * The service registry: every generic layer (validation, plan, rendering, component types, diagram) works
 * from the descriptors, so each test here iterates the registry and fails for a descriptor whose part is not
 * taken up (a port not checked, a dir not made, a switch that does not switch, an instance without a role).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { CLUSTER_SECRETS, ClusterConfig, nodeSchema, SECRET_KEYS, SECRETS } from "../lib/config";
import type { SecretDecl } from "../services/secret";
import { buildPlan } from "../lib/plan";
import { renderDiagram } from "../lib/diagram";
import { renderServiceFiles } from "../config-templates";
import { serviceType } from "../components/service";
import { DESCRIPTORS, ROLE_DEFS, ROLES, SECTIONS, SERVICES, ServiceDescriptor, descriptorOf } from "../services";
import { FAKE_SECRETS, loadStack, planFor, problems, ROOT } from "./helpers/stacks";

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

test("secrets: each declared once (the cluster's or one service's), with its rotation; every secret output exported by index.ts", () => {
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
  // index.ts exports each declared output, from the Lakehouse's secretOutputs, under its own name.
  const src = readFileSync(path.join(ROOT, "index.ts"), "utf8");
  const exported = [...src.matchAll(/^export const (\w+) = pulumi\.secret\(lakehouse\.secretOutputs\.(\w+)\);$/gm)];
  for (const [, as, from] of exported) assert.equal(as, from, `index.ts exports secretOutputs.${from} as ${as}`);
  const outputs = decls.flatMap(([, d]) => (d.output ? [d.output.name] : []));
  assert.deepEqual(exported.map((m) => m[1]).sort(), outputs.sort());
});
