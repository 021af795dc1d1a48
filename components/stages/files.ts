/**
 * File sets as ConfigFiles takes them: rendered once with stand-ins to learn whether the set holds a secret (a
 * property of its template), and only then, for a set that does, rendered from the real secrets.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RenderedFile, Secrets } from "../../config-templates";
import type { ClusterConfig } from "../../lib/config";
import { placeholderSecrets } from "./needs";
import type { StackSecrets } from "./secrets";

/** A rendered file set: its files, what a reviewer sees of them, whether one holds a secret, the hash key. */
export interface FileSet {
  files: pulumi.Input<RenderedFile[]>;
  reviewFiles: RenderedFile[];
  secret: boolean;
  hashKey: pulumi.Output<string>;
}

/** Renders a file set (from a renderer of the secrets). */
export type FileSetOf = (render: (s: Secrets) => RenderedFile[]) => FileSet;

/** The stack's file-set renderer: stand-ins first, real secrets only for a set whose shape holds one. */
export function fileSets(c: ClusterConfig, secrets: Pick<StackSecrets, "rendered" | "hashKey">): FileSetOf {
  const placeholders = placeholderSecrets(c);
  return (render) => {
    const shape = render(placeholders);
    const secret = shape.some((f) => f.secret);
    return { files: secret ? secrets.rendered.apply(render) : shape, reviewFiles: shape, secret, hashKey: secrets.hashKey };
  };
}
