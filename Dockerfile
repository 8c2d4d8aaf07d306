# Builds the service jar and runs it; used by docker-compose.yml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml application.properties ./
COPY routes routes
COPY src src
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
# preview clips draw their captions with AWT, which needs a font
RUN apt-get update && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/vibecraft-pipeline.jar /app/vibecraft-pipeline.jar
COPY --from=build /src/target/lib /app/lib
ENV VIBECRAFT_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/vibecraft-pipeline.jar"]
