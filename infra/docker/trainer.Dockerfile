# syntax=docker/dockerfile:1.7
#
# The streamrec trainer (refit service: snapshot, train, gate, sign, publish). Build from the repository root:
#
#   docker build -f infra/docker/trainer.Dockerfile \
#       --build-arg SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" -t streamrec/trainer:0.1.0-SNAPSHOT .
#
# Subcommands: serve (the default: refits on an interval, probes and metrics on http.port), once (one refit;
# exit 0 published, 3 kept by the gate, 1 failed, 2 configuration error), keygen, bench. Configuration comes
# from STREAMREC_* environment variables, --config FILE and --set key=value; JVM options from JAVA_OPTS.
# See infra/README.md. Built like infra/docker/streams-app.Dockerfile; keep the two alike.

# Pinned tags (a digest pin, @sha256:..., is stricter still; see infra/README.md). Runtime: glibc (Ubuntu),
# never Alpine: the trainer evaluates the serving release's graph through ONNX Runtime, a glibc native library.
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
    mvn -B -ntp -pl trainer -am package -DskipTests \
        -Dproject.build.outputTimestamp="${SOURCE_DATE_EPOCH}" \
 && mkdir -p /out/lib \
 && cp trainer/target/lib/*.jar /out/lib/ \
 && cp trainer/target/trainer-*.jar /out/app.jar

FROM ${JRE_IMAGE}
LABEL org.opencontainers.image.title="streamrec trainer" \
      org.opencontainers.image.description="Refits, gates, signs and publishes streamrec's recommendation model"
# The same non-root uid in both images; Kubernetes' securityContext (runAsUser, fsGroup) uses it too. The data
# directories are created here so that a fresh named volume mounted on them inherits this ownership (compose's
# keygen service writes the key pair into /var/lib/streamrec/keys that way).
RUN groupadd --system --gid 10001 streamrec \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin streamrec \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/streamrec /var/lib/streamrec/state /var/lib/streamrec/keys \
        /var/lib/streamrec/reports /var/lib/streamrec/warm-start /var/lib/streamrec/artifacts
WORKDIR /app
# Dependencies first: they change less often than the application jar, so their layer is reused.
COPY --from=build /out/lib/ /app/lib/
COPY --from=build /out/app.jar /app/app.jar
COPY --chmod=0755 infra/docker/entrypoint.sh /app/bin/entrypoint.sh
# Training is plain Java on the heap. The run reports go to a writable directory (the default is relative
# to the working directory, which the non-root user cannot write).
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError" \
    STREAMREC_REPORT_DIR=/var/lib/streamrec/reports
USER 10001:10001
# http.port of `serve`: /health/live, /health/ready, /metrics, /status.
EXPOSE 8090
# No HEALTHCHECK: compose and Kubernetes probe /health/ready and /health/live themselves.
ENTRYPOINT ["/app/bin/entrypoint.sh"]
CMD ["serve"]
