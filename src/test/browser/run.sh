#!/usr/bin/env bash
# The browser test: Swagger UI's Authorize button against the packaged service and the real Keycloak, then against
# ./mvnw quarkus:dev and its built-in OIDC dev service, in Debian's headless Chromium driven by Playwright
# (playwright-core; browser downloads are not used). Installs what it needs.
# Run by .ci/run after the tests; by hand after ./mvnw package: src/test/browser/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

PORT=18081
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18180}
ISSUER="http://127.0.0.1:$KEYCLOAK_PORT/realms/m2m"
export KEYCLOAK_HOME=${KEYCLOAK_HOME:-$PWD/target/keycloak/keycloak-26.7.3}
service_pid=
dev_pgid=

cleanup() {
  [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
  [[ -n "$dev_pgid" ]] && kill -TERM -- "-$dev_pgid" 2>/dev/null || true
  bash src/test/keycloak/keycloak.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

wait_ready() { # wait_ready URL SECONDS
  for _ in $(seq 1 "$2"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "browser-test: $1 not ready after $2 s" >&2
  return 1
}

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser-test: installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd src/test/browser && npm ci --no-audit --no-fund --silent)
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q package -DskipTests
[[ -x "$KEYCLOAK_HOME/bin/kc.sh" ]] || ./mvnw -B -q dependency:unpack@unpack-keycloak

KEYCLOAK_PORT=$KEYCLOAK_PORT bash src/test/keycloak/keycloak.sh start
mkdir -p target/browser
MANAGEMENT_PORT=19001
ISSUER="$ISSUER" AUDIENCE=api://messages SWAGGER_UI_ENABLED=true QUARKUS_HTTP_PORT=$PORT \
  QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT java -jar target/quarkus-app/quarkus-run.jar >target/browser/service.log 2>&1 &
service_pid=$!
wait_ready "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" 60

echo "browser-test: the packaged service against Keycloak"
API_URL="http://127.0.0.1:$PORT" SCREENSHOT_DIR=target/browser node src/test/browser/swagger-authorize.mjs
kill "$service_pid"; service_pid=
bash src/test/keycloak/keycloak.sh stop

# Dev mode, as a newcomer runs it: no settings, the built-in OIDC dev service (client quarkus-app / secret).
DEV_PORT=18082
DEV_MANAGEMENT_PORT=19002
setsid ./mvnw -B -q quarkus:dev -Dquarkus.http.port=$DEV_PORT -Dquarkus.management.port=$DEV_MANAGEMENT_PORT \
  -Dquarkus.console.enabled=false -Ddebug=false >target/browser/dev.log 2>&1 </dev/null &
dev_pgid=$!
wait_ready "http://127.0.0.1:$DEV_MANAGEMENT_PORT/q/health/ready" 180
echo "browser-test: ./mvnw quarkus:dev with the built-in OIDC dev service"
API_URL="http://127.0.0.1:$DEV_PORT" TEST_CLIENT_ID=quarkus-app TEST_CLIENT_SECRET=secret \
  SCREENSHOT_DIR=target/browser/dev node src/test/browser/swagger-authorize.mjs
# Dev mode on this Docker-less machine logs no ERROR (Testcontainers' Docker probe used to).
if grep -q " ERROR " target/browser/dev.log; then
  echo "browser-test: dev mode logged an ERROR:" >&2
  grep " ERROR " target/browser/dev.log >&2
  exit 1
fi
echo "browser-test: dev mode logged no ERROR"
