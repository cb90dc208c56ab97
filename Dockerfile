# syntax=docker/dockerfile:1
# One image for both processes:
#   api:       node apps/api/dist/main.js        (the default CMD)
#   projector: node apps/projector/dist/main.js  (docker-compose.yml overrides the command)

# ---- build: install everything, compile every project with Nx (swc) --------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_SKIP_NX_CACHE=true \
    npm_config_update_notifier=false

COPY . .
RUN npm install --no-audit --no-fund
RUN npx nx run-many -t build --outputStyle=static

# Keep what runs: production dependencies (workspace links included), each workspace's package.json
# (its "exports" point at dist/) and its compiled dist/.
RUN npm prune --omit=dev --no-audit --no-fund \
 && mkdir -p /out \
 && cp package.json /out/ \
 && for dir in apps/* libs/*; do \
      if [ -f "$dir/package.json" ] && [ -d "$dir/dist" ]; then \
        mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir/" && cp -R "$dir/dist" "/out/$dir/dist"; \
      fi; \
    done \
 && cp -R node_modules /out/node_modules

# ---- runtime: no compilers, no sources, not root ---------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out ./
# The code stays root-owned (read-only for the app); only the embedded-mode data directory is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
