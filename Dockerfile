# One image for every Asky process; docker-compose.yml picks the command per service:
#   node --import tsx subgraphs/<users|dispensers|requests>/src/index.ts
#   node --import tsx gateway/src/index.ts
#   node --import tsx scripts/setup-database.ts      (one-shot roles, migrations, optional seed)
# TypeScript runs through tsx: there is no build step.
#
#   docker build -t asky .

ARG NODE_IMAGE=node:24-bookworm-slim

# Only the npm manifests (root + every workspace), so that the dependency layer below is
# rebuilt when a package.json or the lockfile changes, not on every source edit. Picking
# them with `find` keeps this file correct when a workspace is added.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -mindepth 1 -type d -empty -delete

# Dependencies exactly as locked. tsx (the runtime loader) is a devDependency of the root
# package, so this installs the full tree rather than --omit=dev. Install scripts are not
# needed (platform binaries come as optional packages) and are not run.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /app/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# node_modules (root and any nested ones) and the manifests, then the source on top.
# Everything stays owned by root and read-only for the service user.
COPY --from=deps /app/ ./
COPY . .
# Development signing keys (ASKY_KEYS_DIR in docker-compose.yml): a volume mounted here starts
# out owned by the service user. Nothing else is written at run time; /app stays root's.
# The schema explorer is served from its build output; hospitals' closed networks
# cannot fetch it from anywhere else.
RUN npm run build -w @asky/explorer
RUN install -d -o node -g node -m 700 /var/lib/asky/keys
# The same Node flags as the development stack (packages/stack/src/services.ts): a larger
# young generation, fewer and shorter GC pauses under load.
ENV NODE_OPTIONS="--max-semi-space-size=64"
# The `node` user (uid 1000) of the base image.
USER node
# Documentation only: each service sets PORT (gateway 4000, users 4001, dispensers 4002, requests 4003).
EXPOSE 4000 4001 4002 4003
CMD ["node", "--import", "tsx", "gateway/src/index.ts"]
