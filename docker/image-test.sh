#!/usr/bin/env bash
# Builds a container image of the service without Docker and runs it against the real Keycloak.
#
#   docker/image-test.sh jvm      # docker/Dockerfile.jvm, after `./mvnw verify -Daot` on a JDK 25 (the AOT cache)
#   docker/image-test.sh native   # docker/Dockerfile.native-micro, after `./mvnw verify -Dnative`
#
# No registry with base images is reachable here, so the base images are made from Debian packages
# (debootstrap --variant=minbase): for the JVM image, plus the JDK 25 that built and trained the AOT cache (a cache
# is only used by the exact JDK build that wrote it, so the image carries that one: JAVA25_HOME); for the native
# image, nothing more (the executable needs glibc and zlib, which minbase has). Then, with the repo's Keycloak realm,
# it checks that the container: becomes ready, serves GET / to a Keycloak token, refuses a bad token with 401, runs
# as a non-root user, reads its settings from the environment, and stops cleanly on SIGTERM; the JVM image also that
# its AOT cache is the one the JVM uses. Run by .ci/run after the builds; needs root (apt-get, podman).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-jvm}
case "$MODE" in
  jvm)
    JAVA25_HOME=${JAVA25_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}
    BASE_IMAGE=localhost/m2m-jre-base:25
    DOCKERFILE=docker/Dockerfile.jvm
    IMAGE=localhost/m2m-api:jvm
    ;;
  native)
    BASE_IMAGE=localhost/m2m-native-base:bookworm
    DOCKERFILE=docker/Dockerfile.native-micro
    IMAGE=localhost/m2m-api:native
    ;;
  *) echo "usage: docker/image-test.sh [jvm|native]" >&2; exit 64 ;;
esac
CONTAINER=m2m-api-image-test
PORT=18080
MANAGEMENT_PORT=19000
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18180}
ISSUER="http://127.0.0.1:$KEYCLOAK_PORT/realms/m2m"
export KEYCLOAK_HOME=${KEYCLOAK_HOME:-$PWD/target/keycloak/keycloak-26.7.3}
# Flags this machine's podman needs (no systemd, no user namespaces): runc, explicit ulimits, host network.
RUN_FLAGS=(--runtime runc --ulimit nofile=1024:4096 --ulimit nproc=1024:4096 --network host)

passed=0
failed=0
check() { # check "what" command...
  local what=$1
  shift
  if "$@"; then
    echo "  ok: $what"
    passed=$((passed + 1))
  else
    echo "  FAILED: $what"
    failed=$((failed + 1))
  fi
}

install_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ((${#missing[@]})); then
    echo "image-test: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

debian_mirror() {
  # The mirror this machine's apt already uses.
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [[ -n "$mirror" ]] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [[ -n "$mirror" ]] || { echo "image-test: no Debian mirror in the apt sources" >&2; exit 1; }
  echo "$mirror"
}

build_base_image() {
  if podman image exists "$BASE_IMAGE"; then
    return
  fi
  local rootfs
  rootfs=$(mktemp -d)
  echo "image-test: building $BASE_IMAGE with debootstrap (about a minute)"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$(debian_mirror)" >/dev/null
  if [[ $MODE == jvm ]]; then
    # Where the official Temurin images keep it; -a keeps the files' times, which the AOT cache checks.
    mkdir -p "$rootfs/opt/java"
    cp -a "$JAVA25_HOME" "$rootfs/opt/java/openjdk"
    ln -s /opt/java/openjdk/bin/java "$rootfs/usr/bin/java"
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc \
    "$rootfs"/usr/share/man
  tar -C "$rootfs" -c . | podman import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

cleanup() {
  podman rm -f "$CONTAINER" >/dev/null 2>&1 || true
  bash src/test/keycloak/keycloak.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [[ $MODE == jvm ]]; then
  [[ -x "$JAVA25_HOME/bin/java" ]] || { echo "image-test: no JDK 25 (set JAVA25_HOME)" >&2; exit 1; }
  [[ -f target/quarkus-app/app.aot ]] \
    || { echo "image-test: no AOT cache: run JAVA_HOME=<JDK 25> ./mvnw verify -Daot first" >&2; exit 1; }
else
  compgen -G 'target/*-runner' >/dev/null || { echo "image-test: no native executable: run ./mvnw verify -Dnative first" >&2; exit 1; }
fi
install_tools
build_base_image
[[ -x "$KEYCLOAK_HOME/bin/kc.sh" ]] || ./mvnw -B -q dependency:unpack@unpack-keycloak
podman build -q -f "$DOCKERFILE" --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" . >/dev/null
echo "image-test: built $IMAGE"

KEYCLOAK_PORT=$KEYCLOAK_PORT bash src/test/keycloak/keycloak.sh start

podman rm -f "$CONTAINER" >/dev/null 2>&1 || true
podman run -d --name "$CONTAINER" "${RUN_FLAGS[@]}" \
  -e ISSUER="$ISSUER" -e AUDIENCE=api://messages -e QUARKUS_HTTP_PORT=$PORT \
  -e QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT "$IMAGE" >/dev/null

ready=false
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" 2>/dev/null; then ready=true; break; fi
  sleep 1
done
echo "image-test: the $MODE container against $ISSUER"
check "readiness is UP on the management port" $ready
check "health and metrics are not on the API's port" \
  bash -c "[[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/q/metrics) == 404 \
    && \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/q/health/ready) == 404 ]]"
token=$(curl -fsS -u m2m-reader:m2m-reader-secret -d grant_type=client_credentials -d scope=read:messages \
  "$ISSUER/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
check "GET / with a Keycloak token answers Hello World!" \
  bash -c "curl -fsS -H 'Authorization: Bearer $token' http://127.0.0.1:$PORT/ | grep -q '\"Hello World!\"'"
check "a bad token is refused with 401" \
  bash -c "[[ \$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer not.a.token' http://127.0.0.1:$PORT/) == 401 ]]"
check "runs as a non-root user" bash -c "[[ \$(podman exec $CONTAINER id -u) != 0 ]]"
check "took ISSUER from the environment" \
  bash -c "curl -fsS http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready | grep -q '\"issuer\": \"$ISSUER\"'"
if [[ $MODE == jvm ]]; then
  # With -XX:AOTMode=on an unusable cache (another JDK build, another class path) stops the JVM instead of a silent
  # fall-back to a slow start; reaching the service's own settings check (a bad ISSUER) means the cache was used.
  check "the JVM starts with the image's AOT cache (-XX:AOTMode=on)" \
    bash -c "podman run --rm ${RUN_FLAGS[*]} -e JAVA_TOOL_OPTIONS=-XX:AOTMode=on -e ISSUER=not-a-url $IMAGE 2>&1 \
      | grep -q 'ISSUER must be http'"
fi
podman stop -t 20 "$CONTAINER" >/dev/null
exit_code=$(podman inspect "$CONTAINER" --format '{{.State.ExitCode}}')
# 143 = the process ended on SIGTERM after running Quarkus' shutdown (JVM and native alike); the log line proves the
# shutdown ran.
check "stops cleanly on SIGTERM (exit $exit_code)" \
  bash -c "[[ $exit_code == 143 || $exit_code == 0 ]] && podman logs $CONTAINER 2>&1 | grep -q 'stopped in'"

echo "image-test: $passed passed, $failed failed"
((failed == 0))
