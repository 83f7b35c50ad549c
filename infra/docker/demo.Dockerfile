# syntax=docker/dockerfile:1.7
#
# The streamrec command line (`streamrec`, the demo module's jar): in a deployment it runs `streamrec generate`,
# synthetic clicks to a running stack's clicks topic (infra/docker-compose.yml's click-generator). Build from
# the repository root:
#
#   docker build -f infra/docker/demo.Dockerfile \
#       --build-arg SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" -t streamrec/demo:0.1.0-SNAPSHOT .
#
# No default command (without one it prints the usage):
#   docker run --rm streamrec/demo:0.1.0-SNAPSHOT generate --help
# Configured by flags only, no STREAMREC_* variables; no ports. See infra/README.md. Built like
# infra/docker/streams-app.Dockerfile; keep the three alike.

# Pinned tags (a digest pin, @sha256:..., is stricter still; see infra/README.md). Runtime: glibc (Ubuntu), never
# Alpine: the jar's class path holds the streams app and the trainer, with their glibc native libraries.
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
    mvn -B -ntp -pl demo -am package -DskipTests \
        -Dproject.build.outputTimestamp="${SOURCE_DATE_EPOCH}" \
 && mkdir -p /out/lib \
 && cp demo/target/lib/*.jar /out/lib/ \
 && cp demo/target/demo-*.jar /out/app.jar

FROM ${JRE_IMAGE}
LABEL org.opencontainers.image.title="streamrec demo" \
      org.opencontainers.image.description="streamrec's command line: synthetic click generator for a running stack"
# The same non-root uid as the other images.
RUN groupadd --system --gid 10001 streamrec \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin streamrec \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/streamrec
WORKDIR /app
# Dependencies first: they change less often than the application jar, so their layer is reused.
COPY --from=build /out/lib/ /app/lib/
COPY --from=build /out/app.jar /app/app.jar
COPY --chmod=0755 infra/docker/entrypoint.sh /app/bin/entrypoint.sh
# The command line's own logging configuration: its messages on the console, the Kafka clients' warnings in a
# file; that file goes to /tmp, since the non-root user cannot write the working directory.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError -Dlog4j2.configurationFile=streamrec-demo-log4j2.xml -Dstreamrec.demo.log=/tmp/streamrec-demo.log"
USER 10001:10001
# No EXPOSE (it serves nothing) and no HEALTHCHECK.
ENTRYPOINT ["/app/bin/entrypoint.sh"]
