#!/usr/bin/env bash
# The benchmark: what authentication costs on this service, measured with wrk on loopback. Not a test, and not
# run by CI (numbers need a quiet machine). It builds the jar if needed, starts a static issuer (StaticIssuer.java)
# and the service, and measures in the same run:
#   open       GET /api/messages/public, no token
#   reused     GET /api/messages/protected, one token reused (as client-credentials callers do)
#   distinct   the same with 1,000 distinct valid tokens in rotation
#   invalid    the same with 1,000 tokens signed by an unknown key (the cost of saying no)
# and prints req/s, p50/p99 latency, ratios to open, RSS, start-to-first-200 and the load average, as medians of
# ROUNDS rounds (each round runs every workload once, after one WARMUP on the secured endpoint per process).
#
#   bench/run.sh                          # WARMUP=90 DURATION=20 ROUNDS=2 THREADS=2 CONNS=64
#   WARMUP=10 DURATION=10 bench/run.sh    # a quick look
#   JAVA_OPTS="-XX:+UseSerialGC" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${WARMUP:-90}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
ISSUER_PORT=${ISSUER_PORT:-8999}
PORT=${PORT:-8088}
OUT=${OUT:-target/bench/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q package -DskipTests

issuer_pid= service_pid=
cleanup() {
  [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
  [[ -n "$issuer_pid" ]] && kill "$issuer_pid" 2>/dev/null || true
}
trap cleanup EXIT

java bench/StaticIssuer.java "$ISSUER_PORT" "$OUT" >"$OUT/issuer.log" 2>&1 &
issuer_pid=$!
for _ in $(seq 1 60); do grep -q ready "$OUT/issuer.log" 2>/dev/null && break; sleep 0.5; done

started=$(date +%s%N)
ISSUER="http://127.0.0.1:$ISSUER_PORT" AUDIENCE=api://messages QUARKUS_HTTP_PORT=$PORT \
  java ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$OUT/service.log" 2>&1 &
service_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/messages/public" 2>/dev/null; do sleep 0.02; done
start_ms=$(( ($(date +%s%N) - started) / 1000000 ))

base="http://127.0.0.1:$PORT"
secured="$base/api/messages/protected"
reused=$(cat "$OUT/reused.txt")
curl -fsS -o /dev/null -H "Authorization: Bearer $reused" "$secured" || { echo "the reused token is refused" >&2; exit 1; }

# run NAME URL [wrk args...]: one measured wrk run; appends "name req/s p50_ms p99_ms" to $OUT/runs.tsv
run() {
  local name=$1 url=$2
  shift 2
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url" >"$OUT/$name-$round.txt"
  awk -v n="$name" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%s\t%.0f\t%.2f\t%.2f\n", n, rps, p50, p99 }' "$OUT/$name-$round.txt" >>"$OUT/runs.tsv"
}

echo "warm-up: ${WARMUP}s on $secured"
round=warmup
wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -H "Authorization: Bearer $reused" "$secured" >"$OUT/warmup.txt"
: >"$OUT/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
  run open "$base/api/messages/public"
  run reused "$secured" -H "Authorization: Bearer $reused"
  TOKENS="$OUT/distinct.txt" run distinct "$secured" -s bench/tokens.lua
  TOKENS="$OUT/invalid.txt" run invalid "$secured" -s bench/tokens.lua
done
rss_kib=$(awk '/^VmRSS/ {print $2}' "/proc/$service_pid/status")
load=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v n="$1" -v c="$2" -F'\t' '$1 == n { print $c }' "$OUT/runs.tsv" | median; }
open_rps=$(col open 2)
{
  echo "m2m-api benchmark, $(date -u +%Y-%m-%dT%H:%MZ), wrk -t$THREADS -c$CONNS, warm-up ${WARMUP}s, ${DURATION}s runs, medians of $ROUNDS"
  echo "machine: $(nproc) cores, load average after the runs: $load; JAVA_OPTS='${JAVA_OPTS:-}'"
  printf '%-10s %10s %8s %8s %12s\n' workload 'req/s' 'p50 ms' 'p99 ms' 'ratio/open'
  for w in open reused distinct invalid; do
    rps=$(col "$w" 2)
    printf '%-10s %10.0f %8.2f %8.2f %12.2f\n' "$w" "$rps" "$(col "$w" 3)" "$(col "$w" 4)" \
      "$(awk -v a="$rps" -v b="$open_rps" 'BEGIN { print a / b }')"
  done
  echo "start to first 200: ${start_ms} ms; RSS after the runs: $((rss_kib / 1024)) MiB"
} | tee "$OUT/results.txt"
