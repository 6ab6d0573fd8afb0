import { sql } from "drizzle-orm";
import { eventTables } from "./events.js";
import { boolean, check, index, jsonb, pgSchema, text, uuid } from "drizzle-orm/pg-core";
import { roles } from "@asky/contracts";
import { timestamptz } from "./columns.js";

/** Schema owned by the `asky_users` role. */
export const usersSchema = pgSchema("users");

export type { Role } from "@asky/contracts";
export const roleEnum = usersSchema.enum("role", roles);

export const users = usersSchema.table(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    nickname: text("nickname").notNull(),
    fullName: text("full_name").notNull(),
    /** Stored lowercased (enforced by a check); unique. */
    email: text("email").notNull().unique("users_email_key"),
    /** E.164, e.g. `+5511987654321`. */
    phone: text("phone"),
    /** 11 digits, no punctuation. Check digits are validated by the app. */
    cpf: text("cpf").notNull().unique("users_cpf_key"),
    role: roleEnum("role").notNull(),
    /** Ward code (dispensers service). Required for NURSE: enforced by the app. */
    ward: text("ward"),
    active: boolean("active").notNull().default(true),
    /** argon2id PHC string. */
    passwordHash: text("password_hash").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at")
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check("users_email_lowercase_check", sql`${t.email} = lower(${t.email})`),
    check("users_email_format_check", sql`${t.email} ~ '^[^@[:space:]]+@[^@[:space:]]+$'`),
    check("users_phone_e164_check", sql`${t.phone} ~ '^\\+[1-9][0-9]{7,14}$'`),
    check("users_cpf_format_check", sql`${t.cpf} ~ '^[0-9]{11}$'`),
    check("users_nickname_not_blank_check", sql`btrim(${t.nickname}) <> ''`),
    check("users_full_name_not_blank_check", sql`btrim(${t.fullName}) <> ''`),
    index("users_role_idx").on(t.role),
    index("users_ward_idx")
      .on(t.ward)
      .where(sql`"ward" IS NOT NULL`),
    /** Keyset pagination / listing by creation. */
    index("users_created_at_id_idx").on(t.createdAt, t.id),
  ],
);

export const refreshTokens = usersSchema.table(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Rotation family: reuse of a used token revokes the whole family. */
    familyId: uuid("family_id").notNull(),
    /** SHA-256 (or similar) of the opaque token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique("refresh_tokens_token_hash_key"),
    expiresAt: timestamptz("expires_at").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    usedAt: timestamptz("used_at"),
    revokedAt: timestamptz("revoked_at"),
    userAgent: text("user_agent"),
    ip: text("ip"),
  },
  (t) => [
    check("refresh_tokens_expiry_check", sql`${t.expiresAt} > ${t.createdAt}`),
    index("refresh_tokens_user_id_idx").on(t.userId),
    index("refresh_tokens_family_id_idx").on(t.familyId),
    /** Purging expired tokens. */
    index("refresh_tokens_expires_at_idx").on(t.expiresAt),
  ],
);

export const auditLog = usersSchema.table(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamptz("at").notNull().defaultNow(),
    /** No FK on purpose: the log must outlive and never block changes to users. */
    actorId: uuid("actor_id"),
    /** e.g. `user.login`, `user.create`, `user.deactivate`, `auth.refresh_reuse`. */
    action: text("action").notNull(),
    targetId: uuid("target_id"),
    detail: jsonb("detail")
      .notNull()
      .default(sql`'{}'::jsonb`),
    ip: text("ip"),
  },
  (t) => [
    check("audit_log_action_not_blank_check", sql`btrim(${t.action}) <> ''`),
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_id_at_idx").on(t.actorId, t.at),
    index("audit_log_target_id_at_idx").on(t.targetId, t.at),
  ],
);

export const loginAttempts = usersSchema.table(
  "login_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamptz("at").notNull().defaultNow(),
    /** Hash of the lowercased email (do not store raw emails of failed logins). */
    emailHash: text("email_hash").notNull(),
    ip: text("ip").notNull(),
    success: boolean("success").notNull(),
  },
  (t) => [
    /** Throttling: recent attempts per account and per client address. */
    index("login_attempts_email_hash_at_idx").on(t.emailHash, t.at),
    index("login_attempts_ip_at_idx").on(t.ip, t.at),
    /** Purging old rows. */
    index("login_attempts_at_idx").on(t.at),
  ],
);

/** Transactional outbox (`asky.users.*` events) and consumer dedupe for this service. */
export const { outbox, processedEvents } = eventTables(usersSchema);
