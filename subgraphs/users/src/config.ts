import { subgraphEnv, type ConfigOf } from "@asky/common";

export const usersEnv = subgraphEnv("users", 4001);

export type UsersConfig = ConfigOf<typeof usersEnv>;
