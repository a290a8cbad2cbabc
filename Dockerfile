# Lifeboat's API and worker image, from the shaded jar: build it first with
#   mvn -B -DskipTests package -pl app -am
FROM eclipse-temurin:17.0.15_6-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client zstd \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/lifeboat lifeboat
COPY app/target/lifeboat.jar /opt/lifeboat/lifeboat.jar
USER lifeboat
WORKDIR /var/lib/lifeboat
ENV LIFEBOAT_HOME=/var/lib/lifeboat LIFEBOAT_API_HOST=0.0.0.0
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xss512k", "-Xms32m", "-jar", "/opt/lifeboat/lifeboat.jar"]
CMD ["server"]
