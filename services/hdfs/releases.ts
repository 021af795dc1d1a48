/** HDFS's release: Apache Hadoop's binary tarball, checked against the checksum file the ASF publishes beside it. */
import { APACHE_ARCHIVE, defineReleases } from "../release";

export const hdfsReleases = defineReleases({
  defaults: {
    hadoop: {
      version: "3.4.1",
      url: `${APACHE_ARCHIVE}/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz`,
      checksumUrl: `${APACHE_ARCHIVE}/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz.sha512`,
    },
  },
});
