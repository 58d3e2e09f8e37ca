# The image docker-compose.yml runs. Build the jar first: ./mvnw -DskipTests package
#
# The fastest start-up path measured (bench/run.sh startup): JDK 25, the jar extracted into its
# libraries, and an AOT cache (JEPs 483, 514, 515) written by a training run at build time, which
# starts the application once against a throw-away embedded database and stops it.
FROM eclipse-temurin:25-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app scimgate \
    && mkdir -p /app/data \
    && chown scimgate /app /app/data
WORKDIR /app
COPY target/scimgate.jar /tmp/scimgate.jar
COPY rules /app/rules
RUN java -Djarmode=tools -jar /tmp/scimgate.jar extract --destination /app/lib-extracted \
    && rm /tmp/scimgate.jar && chown -R scimgate /app/lib-extracted
USER scimgate
ENV SCIMGATE_RULES_DIR=/app/rules SCIMGATE_DATA_DIR=/app/data
# Training run: start against a throw-away embedded database, wait until healthy, stop with
# SIGTERM; the JVM writes the AOT cache as it exits, and the database is stopped with the context.
RUN set -e; export SCIMGATE_DATA_DIR=/tmp/training SCIMGATE_RELAY_ENABLED=false PORT=8080; \
    java -XX:AOTCacheOutput=/app/scimgate.aot -jar /app/lib-extracted/scimgate.jar > /tmp/training.log 2>&1 & \
    pid=$!; \
    for i in $(seq 1 120); do curl -sf localhost:8080/actuator/health/readiness > /dev/null && break; sleep 1; done; \
    kill -TERM "$pid"; wait "$pid" || true; \
    test -f /app/scimgate.aot; \
    rm -rf /tmp/training /tmp/training.log
EXPOSE 8080
ENTRYPOINT ["java", "-XX:AOTCache=/app/scimgate.aot", "-jar", "/app/lib-extracted/scimgate.jar"]
