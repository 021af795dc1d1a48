/**
 * Health-check time limits, in seconds: generous for first starts on small machines. A worker that starts
 * together with its head (Trino, Spark and Flink workers: a fresh cluster starts them at once) is healthy only
 * once its head lists it, so its limit covers its head's start too. (DataNodes start after the NameNode is
 * healthy.) Checks use the node's own address, not loopback: some daemons bind only to it (Spark with
 * SPARK_LOCAL_IP), and it is the address that dependents and users reach.
 */
export const HEALTH_TIMEOUT = { fast: 120, jvm: 300, trino: 420, jvmWorker: 300 + 300, trinoWorker: 420 + 420 } as const;
