-- The account under which Asky itself acts (e.g. the requester of RESTOCK requests the
-- restock loop opens). Requests name a User for every requester and actor, so this must
-- be a real row in every environment, not demo data. It can never sign in: it is inactive
-- and its password hash is not a valid argon2 string. The id is SYSTEM_USER_ID in
-- packages/common/src/system-actor.ts.
INSERT INTO "users"."users" ("id", "nickname", "full_name", "email", "phone", "cpf", "role", "ward", "active", "password_hash")
VALUES (
  '00000000-0000-4000-8000-00000000a5c1',
  'Asky',
  'Asky (reposição automática)',
  'system@asky.internal',
  NULL,
  '00000000000',
  'PHARMACY_TECHNICIAN',
  NULL,
  false,
  '!'
)
ON CONFLICT ("id") DO NOTHING;
