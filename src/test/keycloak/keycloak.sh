#!/usr/bin/env bash
# Starts or stops the real Keycloak that the integration tests (*IT) talk to.
#
# Maven runs `start` in pre-integration-test and `stop` in post-integration-test (see pom.xml), so one
# Keycloak serves the whole test run and is stopped whatever the tests' outcome. By hand, after
# `./mvnw verify` has unpacked it once:
#   KEYCLOAK_HOME=target/keycloak/keycloak-26.7.3 src/test/keycloak/keycloak.sh start
#
# Environment: KEYCLOAK_HOME (unpacked keycloak-quarkus-dist), KEYCLOAK_PORT (default 18180),
# KEYCLOAK_REALM_FILE (realm JSON to import), KEYCLOAK_EXTRA_REALM_FILES (more, space-separated), KEYCLOAK_JAVA_HOME (optional JDK for Keycloak),
# KEYCLOAK_HTTPS_PORT (default 18543) and KEYCLOAK_TLS_DIR (default target/tls, made by src/test/tls/certs.sh): HTTPS
# beside HTTP, client certificates requested, for the certificate-bound token tests (RFC 8705); without the
# directory's certificates, HTTP only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${KEYCLOAK_HOME:=$here/../../../target/keycloak/keycloak-26.7.3}"
: "${KEYCLOAK_PORT:=18180}"
: "${KEYCLOAK_REALM_FILE:=$here/m2m-realm.json}"
# A second realm, a second issuer for the tests of several issuers (SeveralRealmsIT).
: "${KEYCLOAK_EXTRA_REALM_FILES:=$here/partner-realm.json}"
: "${KEYCLOAK_START_TIMEOUT:=300}"
: "${KEYCLOAK_HTTPS_PORT:=18543}"
: "${KEYCLOAK_TLS_DIR:=$here/../../../target/tls}"
state_dir="$KEYCLOAK_HOME/../run"
pid_file="$state_dir/keycloak.pid"
log_file="$state_dir/keycloak.log"
url="http://127.0.0.1:$KEYCLOAK_PORT"

stop() {
  if [[ -f "$pid_file" ]]; then
    local pid
    pid=$(cat "$pid_file")
    if kill -0 "$pid" 2>/dev/null; then
      echo "keycloak: stopping pid $pid"
      # kc.sh execs java; kill the whole process group it leads.
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
  fi
}

ready() {
  curl -fsS -o /dev/null --max-time 2 "$url/realms/m2m/.well-known/openid-configuration"
}

start() {
  [[ -x "$KEYCLOAK_HOME/bin/kc.sh" ]] || { echo "keycloak: no kc.sh in KEYCLOAK_HOME=$KEYCLOAK_HOME" >&2; exit 1; }
  stop # a Keycloak left over from an interrupted run
  if ready 2>/dev/null; then
    echo "keycloak: something already answers on $url; refusing to test against an unknown server" >&2
    exit 1
  fi
  # Only this realm file: another left in data/import (same realm name) could be imported instead.
  rm -rf "$KEYCLOAK_HOME/data/import"
  mkdir -p "$state_dir" "$KEYCLOAK_HOME/data/import"
  cp "$KEYCLOAK_REALM_FILE" "$KEYCLOAK_HOME/data/import/"
  for extra in $KEYCLOAK_EXTRA_REALM_FILES; do cp "$extra" "$KEYCLOAK_HOME/data/import/"; done
  rm -rf "$KEYCLOAK_HOME/data/h2" "$KEYCLOAK_HOME/data/tmp"
  # HTTPS too, with client certificates requested and checked against the test CA (X509 client authentication,
  # certificate-bound tokens). The issuer stays the HTTP URL (--hostname): tokens from either port name it.
  local https=()
  if [[ -s "$KEYCLOAK_TLS_DIR/server.pem" ]]; then
    https=(--https-port="$KEYCLOAK_HTTPS_PORT" --https-certificate-file="$KEYCLOAK_TLS_DIR/server.pem"
      --https-certificate-key-file="$KEYCLOAK_TLS_DIR/server-key.pem" --https-trust-store-file="$KEYCLOAK_TLS_DIR/ca.pem"
      --https-client-auth=request)
    echo "keycloak: and on https://127.0.0.1:$KEYCLOAK_HTTPS_PORT, client certificates requested"
  fi
  echo "keycloak: starting on $url (log: $log_file)"
  (
    [[ -n "${KEYCLOAK_JAVA_HOME:-}" ]] && export JAVA_HOME="$KEYCLOAK_JAVA_HOME"
    export KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin
    # Small heap: the tests need little, and the machine runs the service and the tests beside it.
    export JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m"
    # setsid: its own process group, so `stop` takes down kc.sh and its JVM together.
    exec setsid "$KEYCLOAK_HOME/bin/kc.sh" start-dev \
      --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" --hostname="$url" \
      --db=dev-mem --import-realm --health-enabled=false "${https[@]}" </dev/null >"$log_file" 2>&1
  ) &
  echo $! >"$pid_file"
  local pid
  pid=$(cat "$pid_file")
  for ((i = 0; i < KEYCLOAK_START_TIMEOUT; i++)); do
    if ready 2>/dev/null; then
      echo "keycloak: ready after ${i}s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "keycloak: exited during start-up; last lines of its log:" >&2
      tail -n 40 "$log_file" >&2
      exit 1
    fi
    sleep 1
  done
  echo "keycloak: not ready after ${KEYCLOAK_START_TIMEOUT}s; last lines of its log:" >&2
  tail -n 40 "$log_file" >&2
  stop
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
