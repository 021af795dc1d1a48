/**
 * Trino's release: trino-server from Maven Central. Version 435 is checked against Central's .sha1, because this
 * project's build machines could not fetch it to pin its SHA-512: pin `sha512` yourself for the strictest setup.
 */
import { defineReleases, MAVEN_CENTRAL } from "../release";

export const trinoReleases = defineReleases({
  defaults: {
    trino: {
      version: "435",
      url: `${MAVEN_CENTRAL}/io/trino/trino-server/{version}/trino-server-{version}.tar.gz`,
      checksumUrl: `${MAVEN_CENTRAL}/io/trino/trino-server/{version}/trino-server-{version}.tar.gz.sha1`,
    },
  },
});
