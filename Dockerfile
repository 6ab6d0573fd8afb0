# One image for every Asky process. It holds what runs and nothing else: the JavaScript
# bundles `npm run build` emits (scripts/build/), the files they read (schemas, migrations, the
# explorer's and the ward board's static builds) and the one native package that cannot be
# bundled. No TypeScript, no loader, no npm tree, no dev tools. docker-compose.yml and
# deploy/kubernetes pick the process per container:
#   node gateway.js | node users.js | node dispensers.js | node requests.js | node reports.js
#   node setup-database.js        (one-shot roles, migrations, optional seed)
#
#   docker build -t asky .
#
# The Node release is the one package.json pins (devDependencies.node); a test checks they agree.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# Only the npm manifests (root + every workspace), so that the dependency layer below is
# rebuilt when a package.json or the lockfile changes, not on every source edit. Picking
# them with `find` keeps this file correct when a workspace is added.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -mindepth 1 -type d -empty -delete

# The whole locked tree, dev tools included: the bundler and Vite run here, and stay here.
# Install scripts are not needed (platform binaries come as optional packages) and are not run.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /src/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build -w @asky/explorer \
 && npm run build -w @asky/board \
 && npm run build -- --out /app

FROM ${NODE_IMAGE} AS runtime
# Source maps turn a logged stack trace into TypeScript file and line. The larger young
# generation is the development stack's too (packages/stack/src/services.ts): fewer and
# shorter GC pauses under load.
ENV NODE_ENV=production \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=64"
WORKDIR /app
# Owned by root and read-only for the service user; the root filesystem may be mounted
# read-only (deploy/kubernetes does): nothing is written under /app at run time.
COPY --from=build /app/ ./
# Development signing keys (ASKY_KEYS_DIR in docker-compose.yml): a volume mounted here starts
# out owned by the service user. Production takes its keys from configuration instead.
RUN install -d -o node -g node -m 700 /var/lib/asky/keys
# The `node` user (uid 1000) of the base image.
USER node
# Documentation only: each service sets PORT (gateway 4000, users 4001, dispensers 4002, requests 4003, reports 4004).
EXPOSE 4000 4001 4002 4003
CMD ["node", "gateway.js"]
