#!/usr/bin/env bash
# The soak (issue 28): five kinds of traffic at once against one service, for SOAK_SECONDS (300), with the JVM options
# of the container image (docker/Dockerfile.jvm: Serial GC, 128 MiB heap) and a quota on every request:
#   honest     one reused valid token (wrk -t1 -c2): its p99 is measured in SLICE-second runs, one after the other
#   distinct   1,000 distinct valid tokens in rotation (wrk -t1 -c4)
#   forged     1,000 forged tokens (right kid, wrong key) in rotation (wrk -t1 -c4)
#   dpop       a forged token with a fresh DPoP proof per request from the attacker's own key (wrk -t1 -c4): what
#              used to fill the replay memory (issue 28)
#   quota      RATE_LIMIT on every client, high enough that nobody reaches it: the counters and headers on each answer
# It reports, per slice: the honest caller's req/s and p99, the service's RSS, heap after the last GC, the GC pauses
# (count and longest, from the GC log), each cache's size and evictions (/q/metrics), and at the end any 5xx, whether
# RSS stayed flat (the last third within 10 % of the first third's end), the honest p99 per slice against 20 ms, and
# the allocation per request: of the mixed load (from the GC log), and of a cached-token request alone (a last
# ALLOC_SECONDS run with the reused token only). Not a test and not run by CI (a loaded machine changes every number):
# run it on a quiet machine; docs/performance.md says what it measured.
#
#   bench/soak.sh                               # SOAK_SECONDS=300 SLICE=30, the jar built first
#   SOAK_SECONDS=60 SKIP_BUILD=1 bench/soak.sh  # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK_SECONDS=${SOAK_SECONDS:-300}
SLICE=${SLICE:-30}
# Every kind of traffic together before the first slice, so that the JIT has compiled each path (0: the slices start
# as the attack starts, as in the run docs/performance.md reports, whose first slice was that warm-up).
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
ALLOC_SECONDS=${ALLOC_SECONDS:-20}
APP_DIR=${APP_DIR:-target/quarkus-app}
JAVA=${JAVA:-java}
ISSUER_PORT=${ISSUER_PORT:-8996}
PORT=${PORT:-8087}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-9087}
OUT=${OUT:-target/soak/$(date +%Y%m%d-%H%M%S)}
# The JVM options the container image ships (less its AOT cache path), unless JAVA_OPTS says otherwise.
# shellcheck source=bench/common.sh
source bench/common.sh
JAVA_OPTS=${JAVA_OPTS-$(image_java_opts)}
mkdir -p "$OUT"

need_wrk
build_unless_skipped

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java -Dsun.net.httpserver.nodelay=true bench/StaticIssuer.java "$ISSUER_PORT" "$OUT" >"$OUT/issuer.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q ready "$OUT/issuer.log" 2>/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$PORT"
secured="$base/api/messages/protected"
metrics="http://127.0.0.1:$MANAGEMENT_PORT/q/metrics"

# The attacker's DPoP requests: a forged token (the first of invalid.txt) with proofs by a key of its own (the bench's
# EC key serves: the token is not bound to it, and its signature is not the issuer's), made ahead of time.
head -1 "$OUT/invalid.txt" >"$OUT/forged-dpop.txt"
proofs=$(( (SOAK_SECONDS + WARMUP_SECONDS) * ${DPOP_PROOFS_PER_SECOND:-600} ))
java bench/DpopProofs.java "$OUT/dpop-key.txt" "$OUT/forged-dpop.txt" "$secured" "$proofs" "$(date +%s)" \
  "$OUT/forged-proofs.txt" >/dev/null

# The service: the image's JVM options, a GC log, a quota on every client, the default failure budget, a proof
# window wide enough for proofs made before the run (the checks are the same).
# shellcheck disable=SC2086
ISSUER="http://127.0.0.1:$ISSUER_PORT" AUDIENCE=api://messages RATE_LIMIT=1000000/1s DPOP_PROOF_WINDOW=900 \
  QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
  "$JAVA" $JAVA_OPTS "-Xlog:gc:file=$OUT/gc.log" -jar "$APP_DIR/quarkus-run.jar" >"$OUT/service.log" 2>&1 &
service=$!
pids+=($service)
reused=$(cat "$OUT/reused.txt")
until curl -fsS -o /dev/null -H "Authorization: Bearer $reused" "$secured" 2>/dev/null; do
  kill -0 "$service" 2>/dev/null || { echo "the service did not start, see $OUT/service.log" >&2; exit 1; }
  sleep 0.5
done
echo "soak: ${SOAK_SECONDS}s of honest + distinct + forged + DPoP-forged traffic, quota on; results in $OUT"
wrk -t2 -c8 -d15s -H "Authorization: Bearer $reused" "$secured" >/dev/null # the JIT's warm-up
attack=$(( SOAK_SECONDS + WARMUP_SECONDS ))

TOKENS="$OUT/distinct.txt" wrk -t1 -c4 -d"${attack}s" -s bench/tokens.lua "$secured" >"$OUT/distinct.wrk" &
pids+=($!)
TOKENS="$OUT/invalid.txt" wrk -t1 -c4 -d"${attack}s" -s bench/tokens.lua "$secured" >"$OUT/forged.wrk" &
pids+=($!)
THREADS=1 TOKEN="$OUT/forged-dpop.txt" PROOFS="$OUT/forged-proofs.txt" \
  wrk -t1 -c4 -d"${attack}s" -s bench/proofs.lua "$secured" >"$OUT/dpop-forged.wrk" &
pids+=($!)
if (( WARMUP_SECONDS > 0 )); then
  wrk -t1 -c2 -d"${WARMUP_SECONDS}s" -H "Authorization: Bearer $reused" "$secured" >"$OUT/honest-warmup.wrk"
fi

metric() { # metric NAME FILTER: the sum of a metric's samples whose labels match FILTER
  awk -v name="$1" -v filter="$2" 'index($0, name) == 1 && $0 ~ filter { sum += $NF } END { printf "%.0f", sum }' \
    "$OUT/metrics.txt"
}
ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; printf "%.2f", v }' <<<"$1"; }

printf 'slice_end_s\thonest_rps\thonest_p99_ms\trss_mib\theap_after_gc_mib\tgc_pauses\tgc_longest_ms\tverified_size\trefused_size\tproofs_size\tevictions\n' \
  >"$OUT/soak.tsv"
slices=$(( SOAK_SECONDS / SLICE ))
gc_seen=0
for i in $(seq 1 "$slices"); do
  wrk -t1 -c2 -d"${SLICE}s" --latency -H "Authorization: Bearer $reused" "$secured" >"$OUT/honest-$i.wrk"
  curl -fsS "$metrics" >"$OUT/metrics.txt"
  rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$service/status")
  # Serial GC lines: "... Pause Young (Allocation Failure) 41M->9M(123M) 3.210ms"
  gc_now=$(grep -c 'Pause' "$OUT/gc.log" || true)
  pauses=$(tail -n +"$((gc_seen + 1))" "$OUT/gc.log" | grep 'Pause' || true)
  longest=$(awk '{ t = $NF; sub(/ms$/, "", t); if (t + 0 > m) m = t + 0 } END { printf "%.1f", m }' <<<"$pauses")
  after=$(tail -1 <<<"$pauses" | sed -n 's/.*->\([0-9]*\)M(.*/\1/p')
  gc_seen=$gc_now
  printf '%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$((i * SLICE))" \
    "$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$OUT/honest-$i.wrk")" \
    "$(ms "$(awk '/^ +99%/ { print $2 }' "$OUT/honest-$i.wrk")")" "$rss" "${after:-?}" \
    "$(grep -c . <<<"$pauses" || true)" "$longest" \
    "$(metric cache_size 'verified-tokens')" "$(metric cache_size 'refused-tokens')" "$(metric cache_size 'dpop-proofs')" \
    "$(metric cache_evictions_total '.')" >>"$OUT/soak.tsv"
  tail -1 "$OUT/soak.tsv"
done
wait "${pids[@]:2:3}" 2>/dev/null || true

# Allocation: every byte allocated is in the young generation before some GC; sum (before - after of the previous)
# over the log, per request served meanwhile.
requests_total() { awk '/ requests in / { n += $1 } END { print n + 0 }' "$@"; }
allocated_mib() {
  grep 'Pause' "$1" | sed -n 's/.* \([0-9]*\)M->\([0-9]*\)M(.*/\1 \2/p' \
    | awk 'NR > 1 { sum += $1 - prev } { prev = $2 } END { print sum + 0 }'
}
mixed_requests=$(requests_total "$OUT"/honest-*.wrk "$OUT/distinct.wrk" "$OUT/forged.wrk" "$OUT/dpop-forged.wrk")
mixed_mib=$(allocated_mib "$OUT/gc.log")
cp "$OUT/gc.log" "$OUT/gc-soak.log"
gc_before=$(grep -c 'Pause' "$OUT/gc.log" || true)
wrk -t2 -c8 -d"${ALLOC_SECONDS}s" -H "Authorization: Bearer $reused" "$secured" >"$OUT/alloc-reused.wrk"
tail -n +"$((gc_before + 1))" "$OUT/gc.log" >"$OUT/gc-alloc.log"
alloc_requests=$(requests_total "$OUT/alloc-reused.wrk")
alloc_mib=$(allocated_mib "$OUT/gc-alloc.log")

curl -fsS "$metrics" >"$OUT/metrics.txt"
server_errors=$(metric http_server_requests_seconds_count 'status="5')
{
  echo
  echo "5xx answers: $server_errors"
  awk -F'\t' -v slices="$slices" 'NR > 1 { rss[NR - 1] = $4; if ($3 > p99) p99 = $3 }
    END {
      third = int(slices / 3); if (third < 1) third = 1
      first = rss[third]; flat = 1
      for (i = slices - third + 1; i <= slices; i++) if (rss[i] > first * 1.1 || rss[i] < first * 0.9) flat = 0
      printf "RSS: %s MiB at the end of the first third, %s MiB at the end: %s\n", first, rss[slices], flat ? "flat (last third within 10 %)" : "NOT flat"
      printf "honest p99, worst slice: %.2f ms (goal: at most 20 ms in every slice)\n", p99
    }' "$OUT/soak.tsv"
  awk -v mib="$mixed_mib" -v n="$mixed_requests" 'BEGIN { if (n > 0) printf "allocation, mixed load: %.1f KiB per request (%d requests)\n", mib * 1024 / n, n }'
  awk -v mib="$alloc_mib" -v n="$alloc_requests" 'BEGIN { if (n > 0) printf "allocation, cached-token requests alone: %.1f KiB per request (%d requests)\n", mib * 1024 / n, n }'
} | tee "$OUT/summary.txt"
