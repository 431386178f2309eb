# syntax=docker/dockerfile:1
# Build: compile TypeScript with the dev toolchain.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies, compiled code, migrations; no compiler, no root.
FROM node:20-slim
ENV NODE_ENV=production PORT=3000 STEWARD_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
# Set after npm ci, so only Steward runs under it. Without a cap V8 lets the old
# generation grow to ~150 MB during a large catch-up sync although Steward's live data
# stays under 60 MB (bench/ingest); 192 MB keeps the process's RSS near 180 MB with the
# same throughput. Raise it if exports grow large.
ENV NODE_OPTIONS=--max-old-space-size=192
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM reaches node directly (no shell), so shutdown is graceful.
CMD ["node", "dist/main.js"]
