# The image docker-compose.yml runs. Build the jar first: ./mvnw -DskipTests package
#
# The service runs through bin/scimgate, as everywhere else: it execs java (signals reach the JVM),
# sets the heap, takes JAVA_OPTS, and starts from the AOT cache (JEPs 483, 514, 515) that a
# training run writes here at build time: the launcher starts the application once against a
# throw-away embedded database, and the JVM writes the cache as it exits on SIGTERM.
FROM eclipse-temurin:25-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app scimgate \
    && mkdir -p /app/data /app/jvm \
    && chown scimgate /app /app/data /app/jvm
WORKDIR /app
COPY target/scimgate.jar /app/lib/scimgate.jar
COPY bin/scimgate /app/bin/scimgate
COPY rules /app/rules
USER scimgate
ENV SCIMGATE_RULES_DIR=/app/rules SCIMGATE_DATA_DIR=/app/data SCIMGATE_JVM_CACHE=/app/jvm
RUN set -e; export SCIMGATE_DATA_DIR=/tmp/training SCIMGATE_RELAY_ENABLED=false PORT=8080; \
    /app/bin/scimgate > /tmp/training.log 2>&1 & \
    pid=$!; \
    for i in $(seq 1 120); do curl -sf localhost:8080/actuator/health/readiness > /dev/null && break; sleep 1; done; \
    kill -TERM "$pid"; wait "$pid" || true; \
    ls /app/jvm/*/scimgate.aot; \
    rm -rf /tmp/training /tmp/training.log
EXPOSE 8080
ENTRYPOINT ["/app/bin/scimgate"]
