/**
 * What HDFS adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): the addresses its clients use.
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    /** `hdfs://<NameNode host>:<rpc port>`. */
    defaultFS: string;
    nameNodeUi: string;
  }
}
