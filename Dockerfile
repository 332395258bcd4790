# The concat worker image: `docker build -t concat .` (docker-compose.yml builds it as the worker).
# It sits at the repository root because the build needs the whole Maven reactor (parent pom,
# contract, workflows, activities, worker-app, the benchmark's pom) as its context; .dockerignore
# keeps that context to the poms and sources.
#
# The entrypoint is the concat CLI, so the same image runs a worker (the default command) or any
# other command: `docker run --rm concat status ep-1`, `docker compose run --rm worker submit ...`.
#
# Needs BuildKit for the Maven cache mount: the default of `docker build` and `docker compose`
# (v2); with the old docker-compose 1.29 set DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1.

# --- Build: the shaded jar worker-app/target/concat.jar ---
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY contract/ contract/
COPY workflows/ workflows/
COPY activities/ activities/
COPY worker-app/ worker-app/
# The parent pom lists the benchmark module, so Maven needs its pom; its sources stay out of the
# image (`concat bench` is not part of concat.jar).
COPY benchmark/pom.xml benchmark/
# The local repository lives in a build cache, so a source change does not download every
# dependency again.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl worker-app -am package -DskipTests

# --- Runtime: Debian 12 with its own Java 17 and FFmpeg ---
FROM debian:bookworm-20250929-slim
# ffmpeg: Debian's build (5.1), the one the README measures; it brings ffprobe and libmp3lame.
# util-linux: /usr/bin/setpriv and /usr/bin/setsid, which start FFmpeg in its own process group
#   tied to the worker's life (ProcessLauncher); without them FFmpeg would outlive a killed worker.
#   And /usr/bin/prlimit, which sets FFmpeg's memory ceiling (CONCAT_FFMPEG_MAX_MEMORY).
# tini: PID 1. It hands SIGTERM to the JVM (a graceful worker shutdown) and reaps the FFmpeg
#   processes that end up re-parented to PID 1, which a JVM as PID 1 would leave as zombies.
# curl: the compose healthcheck asks the worker's /health/ready.
# The man1 folder: openjdk's postinst links its man page there and fails on a slim image without it.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless ffmpeg util-linux tini ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && test -x /usr/bin/setpriv && test -x /usr/bin/setsid

# A fixed, unprivileged uid: files in the work volume belong to it, and orchestrators that require
# a numeric non-root user accept it.
RUN groupadd --system --gid 10001 concat \
 && useradd --system --uid 10001 --gid concat --home-dir /var/lib/concat --no-create-home \
      --shell /usr/sbin/nologin concat \
 && mkdir -p /var/lib/concat/work \
 && chown -R concat:concat /var/lib/concat

COPY --from=build /build/worker-app/target/concat.jar /app/concat.jar

# Segments and outputs of running jobs. The folder also names the worker's host queue; mount a
# volume here (docker-compose.yml gives each worker container its own).
ENV CONCAT_WORK_DIR=/var/lib/concat/work
WORKDIR /var/lib/concat
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/app/concat.jar"]
CMD ["worker"]
