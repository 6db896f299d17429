# One image per Hark service, built from this repository:
#
#   docker build --build-arg SERVICE=upload-service -t hark/upload-service .
#
# SERVICE is one of upload-service, audio-prep-service, transcribe-service, status-service.
# The image runs that service alone; it needs KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL (and
# DATABASE_USER/DATABASE_PASSWORD) and the bucket (HARK_STORAGE, S3_ENDPOINT, AWS credentials);
# /var/lib/hark is then only its own scratch (without HARK_STORAGE, the audio folder all
# services must share).

ARG SERVICE=upload-service

# ---- build: Maven on a Temurin 17 JDK ----
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src

# The poms alone first, so that the dependency download is a layer of its own that is reused
# until a pom changes. Every module's pom is needed, since Maven reads the whole reactor even
# when it builds one module. go-offline leaves out the reactor's own modules, which are not in
# any repository yet.
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY platform/pom.xml platform/
COPY test-support/pom.xml test-support/
COPY upload-service/pom.xml upload-service/
COPY audio-prep-service/pom.xml audio-prep-service/
COPY transcribe-service/pom.xml transcribe-service/
COPY status-service/pom.xml status-service/
COPY standalone/pom.xml standalone/
RUN case "$SERVICE" in \
      upload-service|audio-prep-service|transcribe-service|status-service) ;; \
      *) echo "SERVICE must be upload-service, audio-prep-service, transcribe-service or status-service, not '$SERVICE'" >&2; exit 1 ;; \
    esac \
 && mvn -B -q -pl "$SERVICE" -am dependency:go-offline

# Then the sources. test-support is built too (-am follows test-scoped modules), but no test is
# compiled or run here: CI runs them. The service's pom names its runnable jar
# target/<service>.jar.
COPY schemas/src schemas/src
COPY platform/src platform/src
COPY test-support/src test-support/src
COPY upload-service/src upload-service/src
COPY audio-prep-service/src audio-prep-service/src
COPY transcribe-service/src transcribe-service/src
COPY status-service/src status-service/src
RUN mvn -B -q -pl "$SERVICE" -am -Dmaven.test.skip=true package \
 && cp "$SERVICE/target/$SERVICE.jar" /service.jar

# ---- runtime: Temurin 17 JRE ----
# Ubuntu 22.04 (jammy), not a newer base: Hark's pocketsphinx engine drives the 0.8 command line
# (pocketsphinx_continuous), which jammy's pocketsphinx (0.8.0+real5prealpha) ships. PocketSphinx
# 5 removed that program and Ubuntu releases after 24.04 package 5.x; 24.04's 0.8 package was
# listed against a pre-time_t-transition library on amd64, so it is not the safe choice either.
FROM eclipse-temurin:17-jre-jammy
ARG SERVICE

# Only the transcribe service runs an engine; the others stay without it. The packages are in
# Ubuntu's universe component, which the base image's sources include. libgomp1: whisper.cpp's
# native library (inside the whisper-jni jar) is built with OpenMP and will not load without it.
RUN if [ "$SERVICE" = "transcribe-service" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us libgomp1 \
      && test -x /usr/bin/pocketsphinx_continuous \
      && test -f /usr/share/pocketsphinx/model/en-us/en-us.lm.bin \
      && rm -rf /var/lib/apt/lists/*; \
    fi

# A fixed uid that no base image user has, so a volume's owner means the same on every host.
# HARK_DATA is created here and owned by that user: Docker copies it, owner included, into an
# empty named volume mounted on it, which makes the volume writable for the service.
# No VOLUME line: with a bucket, HARK_DATA holds only scratch that goes with the container; where
# the folder is the storage (no HARK_STORAGE), an anonymous volume per container would hide a
# missing shared mount behind unshared storage.
RUN groupadd --system --gid 10001 hark \
 && useradd --system --uid 10001 --gid hark --home-dir /var/lib/hark --no-create-home \
      --shell /usr/sbin/nologin hark \
 && mkdir -p /var/lib/hark /app \
 && chown hark:hark /var/lib/hark

COPY --from=build /service.jar /app/service.jar

# The heap follows the container's memory limit. 70 %, not more: ffmpeg (and, in the transcribe
# service, pocketsphinx) run as separate processes beside the JVM, and metaspace, threads and
# direct buffers live outside the heap. JAVA_OPTS replaces the whole value.
# ffmpeg: jammy's own is 4.4, older than the 5 that HARK_FFMPEG=auto takes from the system, so
# the images run the one bundled with JAVE (4.4.1); every input is opened with its format named
# and the file protocol only (see Ffmpeg), whichever runs.
# java.io.tmpdir stays /tmp (world-writable with the sticky bit in the base image): JAVE unpacks
# its ffmpeg there on first use and runs it from there, so /tmp must allow executing. Docker's
# --tmpfs and compose's tmpfs default to noexec: mount one on /tmp only with the exec option.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError" \
    HARK_DATA=/var/lib/hark \
    SERVER_PORT=8080
LABEL org.opencontainers.image.title="hark-${SERVICE}"

USER hark
WORKDIR /var/lib/hark
EXPOSE 8080

# exec: java becomes PID 1 and receives the SIGTERM of docker stop, so Spring shuts down
# gracefully (consumers leave their groups, the outbox relay stops). Arguments given to
# docker run are passed on to the service.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/service.jar \"$@\"", "service"]
