import { DateTimeScalar, DateScalar } from "@asky/runtime";
import type { Resolvers } from "../generated/resolvers-types.js";
import { CatalogItem, Material, Medication } from "./catalog-item.js";
import { Dispenser, DispenserQrCode } from "./dispenser.js";
import { Mutation } from "./mutation.js";
import { Query } from "./query.js";
import { ExpiringLot, StockLevel, StockLot } from "./stock-level.js";
import { StockLowAlert, stockLowAlert } from "./stock-low-alert.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  // stockLowAlert: how the gateway resolves stockLow subscription payloads (see stock-low-alert.ts).
  Query: { ...Query, stockLowAlert },
  Mutation,
  Dispenser,
  DispenserQrCode,
  CatalogItem,
  Medication,
  Material,
  StockLevel,
  StockLot,
  ExpiringLot,
  StockLowAlert,
};
