/** JVM options each component needs on Java 17 (module access its code still takes reflectively). */

/** Hadoop 3.4 on 17 (HADOOP-17177 and follow-ups): what the NameNode, DataNode, clients and HMS need. */
export const HADOOP_JAVA17_OPENS = [
  "--add-opens=java.base/java.lang=ALL-UNNAMED",
  "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
  "--add-opens=java.base/java.util=ALL-UNNAMED",
  "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
  "--add-opens=java.base/java.net=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "--add-opens=java.base/sun.security.util=ALL-UNNAMED",
];

/** -Xmx from a config heap size (512m, 4g). */
export const xmx = (heap: string) => `-Xmx${heap}`;
