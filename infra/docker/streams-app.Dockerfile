# syntax=docker/dockerfile:1.7
#
# The streamrec streams app (Kafka Streams + ONNX Runtime + HTTP API). Build from the repository root:
#
#   docker build -f infra/docker/streams-app.Dockerfile \
#       --build-arg SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" -t streamrec/streams-app:0.1.0-SNAPSHOT .
#
# Configuration comes from STREAMREC_* environment variables (STREAMREC_ + the key upper-cased, dots as
# underscores: STREAMREC_BOOTSTRAP_SERVERS for bootstrap.servers), from --config FILE and --set key=value.
# JVM options: JAVA_OPTS. The same image runs the topic provisioning command:
#   docker run --rm streamrec/streams-app --main io.streamrec.schemas.topics.ProvisionTopicsCommand --help
# See infra/README.md. infra/docker/trainer.Dockerfile is built the same way; keep the two alike.

# Pinned tags (a digest pin, @sha256:..., is stricter still; see infra/README.md). Runtime: glibc (Ubuntu),
# never Alpine: ONNX Runtime and RocksDB ship glibc native libraries.
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-noble

FROM ${MAVEN_IMAGE} AS build
# Timestamp of every jar entry (Maven's project.build.outputTimestamp, seconds since the epoch): with the
# same sources and this value, the jars are byte-for-byte the same. The default is the earliest date a zip
# entry can carry; pass the last commit's time for a meaningful one.
ARG SOURCE_DATE_EPOCH=315532802
WORKDIR /src
COPY . .
# The reactor build of this module and what it needs; target/lib is the runtime class path (parent pom).
RUN --mount=type=cache,target=/root/.m2/repository \
    mvn -B -ntp -pl streams-app -am package -DskipTests \
        -Dproject.build.outputTimestamp="${SOURCE_DATE_EPOCH}" \
 && mkdir -p /out/lib \
 && cp streams-app/target/lib/*.jar /out/lib/ \
 && cp streams-app/target/streams-app-*.jar /out/app.jar

FROM ${JRE_IMAGE}
LABEL org.opencontainers.image.title="streamrec streams-app" \
      org.opencontainers.image.description="Kafka Streams application: a ranked top-K list for every click"
# The same non-root uid in both images; Kubernetes' securityContext (runAsUser, fsGroup) uses it too. The data
# directories are created here so that a fresh named volume mounted on them inherits this ownership.
RUN groupadd --system --gid 10001 streamrec \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin streamrec \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/streamrec /var/lib/streamrec/state /var/lib/streamrec/keys \
        /var/lib/streamrec/reports /var/lib/streamrec/artifacts
WORKDIR /app
# Dependencies first: they change less often than the application jar, so their layer is reused.
COPY --from=build /out/lib/ /app/lib/
COPY --from=build /out/app.jar /app/app.jar
COPY --chmod=0755 infra/docker/entrypoint.sh /app/bin/entrypoint.sh
# Heap at half the container's memory: RocksDB's block cache and memtables, ONNX Runtime's sessions and
# direct buffers live off the heap. state.dir on the directory a volume is meant to cover.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError" \
    STREAMREC_STATE_DIR=/var/lib/streamrec/state
USER 10001:10001
# http.port: recommendations, history, models (and /health/*, /metrics on the API's threads);
# http.management.port: /health/live, /health/ready, /metrics on threads of their own, for probes and scrapes.
EXPOSE 8080 8079
# No HEALTHCHECK: compose and Kubernetes probe /health/ready and /health/live themselves.
ENTRYPOINT ["/app/bin/entrypoint.sh"]
