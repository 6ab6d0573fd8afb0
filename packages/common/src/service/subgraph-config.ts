/** Configuration every subgraph reads (`subgraphEnv` declares the variables behind it). */
export interface SubgraphServiceConfig {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: "development" | "production" | "test";
  readonly signingJwks: string;
  readonly trustedJwks: string;
  readonly keysDir: string;
  readonly statementTimeoutMs: number;
  readonly connectionsPerOperation: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  readonly watermarkIntervalMs: number;
  readonly feedMaxAgeMs: number;
  readonly sessionCheckCacheMs: number;
  readonly sessionCheckTimeoutMs: number;
}
