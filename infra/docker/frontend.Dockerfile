# ConvoNest frontend image: Next.js, built once (next build) and served by `next start` on :3000.
# Build context: frontend/ (docker-compose.yml does this):
#     docker build -f infra/docker/frontend.Dockerfile -t convonest-frontend frontend
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Where the Next.js server forwards /api/* when a request reaches it directly (nginx sends /api/* to
# Django itself); server-side rendering calls Django here too.
ARG BACKEND_URL=http://backend:8000
ENV BACKEND_URL=${BACKEND_URL}
# https (the default) adds HSTS to every page; next build bakes headers() in, so it is a build argument.
ARG SITE_SCHEME=https
ENV SITE_SCHEME=${SITE_SCHEME}
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
ARG BACKEND_URL=http://backend:8000
ENV BACKEND_URL=${BACKEND_URL}
# https (the default) adds HSTS to every page; next build bakes headers() in, so it is a build argument.
ARG SITE_SCHEME=https
ENV SITE_SCHEME=${SITE_SCHEME}
COPY --from=build --chown=node:node /app ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:3000/').then(r => process.exit(r.status < 500 ? 0 : 1)).catch(() => process.exit(1))"
CMD ["node_modules/.bin/next", "start", "--hostname", "0.0.0.0", "--port", "3000"]
