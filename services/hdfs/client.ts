/**
 * HDFS's client contract: the one module of services/hdfs that other services import at runtime. What a Hadoop
 * client on a node needs: where the Hadoop client's configuration lives and the environment a Hadoop-launched JVM
 * runs with. Pure.
 */
import { OPT, ServicePlan } from "../../lib/model";
import { HADOOP_JAVA17_OPENS } from "../../config-templates/java";
import { logDirOf } from "../../config-templates/common";

/** The Hadoop client's configuration on every node (the release's etc/hadoop links here). */
export const HADOOP_CONF = "/etc/hadoop/conf";

/**
 * Environment every Hadoop-launched JVM here gets (HDFS daemons, the metastore through `hadoop jar`).
 * HADOOP_OPTS replaces Hadoop's own default (-Djava.net.preferIPv4Stack=true), so it is kept first.
 */
export function hadoopEnv(s: ServicePlan): Record<string, string> {
  return {
    JAVA_HOME: s.jdk!.home,
    HADOOP_HOME: OPT("hadoop"),
    HADOOP_CONF_DIR: HADOOP_CONF,
    HADOOP_LOG_DIR: logDirOf(s.user),
    HADOOP_OPTS: ["-Djava.net.preferIPv4Stack=true", ...HADOOP_JAVA17_OPENS].join(" "),
  };
}
