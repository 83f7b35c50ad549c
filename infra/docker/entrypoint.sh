#!/bin/sh
# Entrypoint of the streamrec images (streams-app and trainer): runs the image's application jar, or another
# class from its class path, with JAVA_OPTS.
#
#   entrypoint.sh ARGS...               java $JAVA_OPTS -jar /app/app.jar ARGS...
#   entrypoint.sh --main CLASS ARGS...  java $JAVA_OPTS -cp '/app/app.jar:/app/lib/*' CLASS ARGS...
#
# The second form runs tools that ship in the same jars, e.g. the topic provisioning command:
#   entrypoint.sh --main io.streamrec.schemas.topics.ProvisionTopicsCommand --bootstrap-server kafka:29092
#
# JAVA_OPTS is split on white space on purpose (it holds several options); an option whose value contains
# spaces belongs in JAVA_TOOL_OPTIONS, which the JVM reads itself. exec: java becomes PID 1's successor, so
# SIGTERM from the orchestrator reaches the application's shutdown hooks.
set -eu

APP_JAR=/app/app.jar

if [ "${1:-}" = "--main" ]; then
    if [ "$#" -lt 2 ]; then
        echo "entrypoint: --main needs a class name" >&2
        exit 2
    fi
    main_class=$2
    shift 2
    # shellcheck disable=SC2086 # word splitting of JAVA_OPTS is intended
    exec java ${JAVA_OPTS:-} -cp "$APP_JAR:/app/lib/*" "$main_class" "$@"
fi

# shellcheck disable=SC2086 # word splitting of JAVA_OPTS is intended
exec java ${JAVA_OPTS:-} -jar "$APP_JAR" "$@"
