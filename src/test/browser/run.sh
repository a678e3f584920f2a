#!/usr/bin/env bash
# The browser test: Swagger UI's Authorize button against the packaged service and the real Keycloak, in Debian's
# headless Chromium driven by Playwright (playwright-core; browser downloads are not used). Installs what it needs.
# Run by .ci/run after the tests; by hand after ./mvnw package: src/test/browser/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

PORT=18081
KEYCLOAK_PORT=${KEYCLOAK_PORT:-18180}
ISSUER="http://127.0.0.1:$KEYCLOAK_PORT/realms/m2m"
export KEYCLOAK_HOME=${KEYCLOAK_HOME:-$PWD/target/keycloak/keycloak-26.7.3}
service_pid=

cleanup() {
  [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
  bash src/test/keycloak/keycloak.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

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
ISSUER="$ISSUER" AUDIENCE=api://messages SWAGGER_UI_ENABLED=true QUARKUS_HTTP_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar >target/browser/service.log 2>&1 &
service_pid=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null && break
  sleep 1
done

API_URL="http://127.0.0.1:$PORT" SCREENSHOT_DIR=target/browser node src/test/browser/swagger-authorize.mjs
