# syntax=docker/dockerfile:1
#
# One image for api, worker and gateway; the command picks the process:
#   docker run --init notify node apps/worker/dist/main.js
# docker-compose.yml runs all three (plus Redis and MongoDB) from this image.

ARG NODE_IMAGE=node:22-bookworm-slim

# Only the package manifests, so `npm ci` below is re-run only when dependencies change: this
# stage re-runs on any change, but its output (and so the next COPY) stays identical.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -mindepth 1 -type d -empty -delete

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# tsc -b, then the browser script the gateway serves (esbuild, a devDependency: before the prune).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
# Gather what runs: production node_modules and every workspace without its TypeScript sources
# and tests (dist/, package.json, its own node_modules, any assets next to them).
RUN mkdir /out \
 && cp -a package.json package-lock.json node_modules /out/ \
 && for ws in libs/* apps/*; do \
      mkdir -p "/out/$ws" && cp -a "$ws/." "/out/$ws/" \
      && rm -rf "/out/$ws/src" "/out/$ws/test" "/out/$ws"/tsconfig*.json; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out ./
# The code stays root-owned (read-only for the app); only ./data, where STORE=sqlite would
# write, belongs to the unprivileged user.
RUN mkdir -p data && chown node:node data
USER node
# gateway, api, worker probes/metrics
EXPOSE 2120 2121 2122
CMD ["node", "apps/api/dist/main.js"]
