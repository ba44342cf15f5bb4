/** Where the benchmark's stores and broker are; shared by every section of the harness. */
export interface BenchEnv {
  databaseUrl: string;
  redisUrl: string;
  mqttUrl: string;
  mqttUsername?: string;
  mqttPassword?: string;
}
