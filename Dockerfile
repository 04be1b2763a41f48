# CNN Ensemble Service.
#   CPU (oneDNN):  docker build -t cnn-ensemble-service .
#   GPU (CUDA 11.6 bundled, needs only the NVIDIA driver and container toolkit on the host):
#                  docker build --build-arg MAVEN_PROFILES=gpu -t cnn-ensemble-service:gpu .
# Run: docker run -p 8080:8080 -v cnn-data:/data cnn-ensemble-service
# MNIST is fetched on first start into /data from the public mirrors, and every file's SHA-256 is
# verified before use.

FROM maven:3.9.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILES=
WORKDIR /build
# Dependencies first: this layer is rebuilt only when pom.xml changes.
COPY pom.xml .
RUN mvn -B -q ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} dependency:go-offline
COPY src ./src
RUN mvn -B -q ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} -DskipTests package \
 && java -Djarmode=tools -jar target/cnn-ensemble-service.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre-jammy
# curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 cnn \
 && useradd --system --uid 10001 --gid cnn --home-dir /data --shell /usr/sbin/nologin cnn \
 && mkdir -p /data \
 && chown cnn:cnn /data
WORKDIR /app
# Spring Boot's layers, least changing first.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# Memory, relative to the container's limit: heap 25 %; the whole process's resident memory (heap,
# ND4J's arrays, native libraries) up to 350 % of the heap, i.e. 87.5 % (JavaCPP's maxphysicalbytes:
# past it a native allocation runs a GC, then fails); what JavaCPP itself tracks up to 150 % (ND4J's
# arrays are not counted there); direct buffers and metaspace 256 MB each. bin/run sets the same
# (bin/jvm-memory.sh), with a fixed 1 GiB heap instead of a share of the limit.
# OMP_NUM_THREADS may be set to the CPU limit: OpenMP counts the host's cores, not the quota.
# The NVIDIA variables matter only to the GPU build, under the NVIDIA container runtime.
ENV CNN_DATA_DIR=/data \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=25 -XX:MaxDirectMemorySize=256m -XX:MaxMetaspaceSize=256m -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.maxbytes=150% -Dorg.bytedeco.javacpp.maxphysicalbytes=350%" \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 10001:10001
VOLUME /data
EXPOSE 8080
# 12 retries: the first start extracts the native libraries and fetches MNIST (dockerfilelint 1.8
# does not know --start-period; docker-compose.yml and the Helm chart set their own).
HEALTHCHECK --interval=15s --timeout=5s --retries=12 \
  CMD curl -fs http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
