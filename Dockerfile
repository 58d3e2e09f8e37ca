# The image docker-compose.yml runs. Build the jar first: ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app scimgate \
    && mkdir -p /app/data \
    && chown scimgate /app/data
WORKDIR /app
COPY target/scimgate.jar /app/scimgate.jar
COPY rules /app/rules
USER scimgate
ENV SCIMGATE_RULES_DIR=/app/rules SCIMGATE_DATA_DIR=/app/data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/scimgate.jar"]
