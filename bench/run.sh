#!/usr/bin/env bash
# The benchmark: what authentication costs on this service, measured with wrk on loopback. Not a test, and not
# run by CI (numbers need a quiet machine). It builds the jar, starts a static issuer (StaticIssuer.java)
# and the service (with the JVM options of the container image, docker/Dockerfile.jvm), and measures in one run:
#   open       GET /api/messages/public, no token
#   reused     GET /api/messages/protected, one token reused (as client-credentials callers do)
#   bound      the same with one certificate-bound token (RFC 8705, cnf.x5t#S256) reused, its certificate forwarded
#              in nginx ingress' ssl-client-cert header from 127.0.0.1, declared a proxy (CLIENT_CERT_HEADER,
#              CLIENT_CERT_PROXIES), over plain HTTP: wrk cannot present a client certificate, and the header path
#              costs what the TLS path does per request (the binding is the same hash comparison, on every request,
#              cached token or not) plus parsing the PEM; the TLS handshake itself is the proxy's, not the service's
#   distinct   the same with 1,000 distinct valid tokens in rotation
#   invalid    the same with 1,000 forged tokens (right kid, wrong key): the cost of saying no
#   dpop       the same with one DPoP-bound token (RFC 9449) and a new ES256 proof per request, made ahead of time
#              (DpopProofs.java, DPOP_PROOFS of them per run) so that wrk does not pay for them; the service keeps every
#              jti (replay cache). Making them takes a minute or two, so the services run with a wider iat window
#              (DPOP_PROOF_WINDOW=900 instead of 60): the same checks, proofs that stay valid for the run
#   dpop-rsa   the same with an RSA key (RS256 proofs)
#              (both in a process of their own, m2m-api-dpop, beside a reused-token run in that process; with
#              CRYPTO_JDK=1 (default) again in m2m-api-dpop-jdk with CRYPTO_PROVIDER=jdk: the proofs verified by the
#              JDK's providers instead of the fastest that loads, issue 25)
#   flood      honest callers (one reused token, wrk -t1 -c48) alone ("honest-alone"), then the same while a second wrk
#              (-t1 -c16) sends the 1,000 forged tokens in rotation ("honest-flooded", and the attacker's "forged"),
#              in a process of its own (m2m-api-flood) with the default failure budget; the other workloads run with
#              TOKEN_FAILURE_BUDGET=off, so that "invalid" stays the cost of saying no (not of saying 429 late)
#   issuers    a second issuer (StaticIssuer on ISSUER2_PORT, its own key) and a process trusting both
#              (m2m-api-issuers, ISSUER=<first>,<second>): "reused" (the first's token), "mixed" (one token of each,
#              in turns), "mixed-distinct" (1,000 tokens, half of each): against m2m-api's reused and distinct
#   introspection  a process with INTROSPECTION_CLIENT_ID and REVOCATION_CHECK=true (m2m-api-introspection):
#              "reused" (a JWT verified here and confirmed active every 30 s) and "opaque" (an opaque token the issuer
#              introspects, then the answer cached): against m2m-api/reused
# then, with QUOTA=1 (default), the service with a quota every request is counted against and none reaches
# (RATE_LIMIT=999999999/1s: the counter and the RateLimit headers on every answer): what a quota costs
# then, with UNCACHED=1 (default), the service again with its verified-token cache off (TOKEN_CACHE_SIZE=0): that is
# Quarkus OIDC's own verification on every request, the "plain Quarkus" line, and the row the DPoP rows are compared
# with (a proof cannot be cached; the native executable gets its own cache-off row). With PEERS=<dir> it also runs the
# peers of ../shared/anchors, copied to <dir> and built as ../shared/README.md says (seed-node: npm ci; spring-rs:
# mvn package), against the same issuer, tokens and wrk settings: secured GET /api/messages, open GET /health.
# With AOT=<quarkus-app dir> it also runs the aot-jar with its Java 25 AOT cache (`./mvnw verify -Daot` on a JDK 25,
# copied aside; on JAVA25_HOME's java), and with NATIVE=<executable> the native executable (`./mvnw verify -Dnative`,
# with the container image's heap setting), each beside the jar in the same run.
# It prints req/s, p50/p99 latency, ratios (secured/open, ours/peer's), RSS after the load and the load average, as
# medians of ROUNDS rounds (each target: one process, one WARMUP on its open and secured endpoints, then the rounds),
# and the start time: from exec to the first 200 of a *secured* request (the issuer's keys fetched, a token verified),
# the median of STARTS starts.
#
#   bench/run.sh                          # WARMUP=90 DURATION=20 ROUNDS=2 THREADS=2 CONNS=64
#   WARMUP=10 DURATION=10 UNCACHED=0 bench/run.sh    # a quick look
#   PEERS=/tmp/peers bench/run.sh         # and the peers, in the same run
#   WORKLOADS="open reused" bench/run.sh  # a subset
#   JAVA_OPTS="-XX:+UseG1GC" bench/run.sh  # other JVM options (default: the container image's)
#   SKIP_BUILD=1 bench/run.sh             # the jar in target/ as it is (by default it is built first)
#   BASELINE=/tmp/base/target/quarkus-app bench/run.sh   # and another build (e.g. of the previous main), same run
#   APP_DIR=/tmp/jar SKIP_BUILD=1 AOT=target/quarkus-app NATIVE=/tmp/m2m-api-runner JAVA=$JAVA25_HOME/bin/java bench/run.sh
#                                         # the three ways to run it, the jar on the same JDK as the AOT cache. The
#                                         # AOT jar runs where -Daot trained it (target/quarkus-app: Quarkus' aot-jar
#                                         # launcher finds its data at the training path while that path exists), so
#                                         # the plain jar is a copy elsewhere (APP_DIR) and the native one too.
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=${WARMUP:-90}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
WORKLOADS=${WORKLOADS:-open reused bound distinct invalid flood dpop dpop-rsa issuers introspection}
DPOP_PROOFS=${DPOP_PROOFS:-400000}
UNCACHED=${UNCACHED:-1}
CRYPTO_JDK=${CRYPTO_JDK:-1}
QUOTA=${QUOTA:-1}
PEERS=${PEERS:-}
BASELINE=${BASELINE:-}
AOT=${AOT:-}
NATIVE=${NATIVE:-}
STARTS=${STARTS:-5}
JAVA=${JAVA:-java}
JAVA25_HOME=${JAVA25_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}
# The native executable's heap, as its container image sets it (docker/Dockerfile.native-micro).
NATIVE_OPTS=${NATIVE_OPTS-$(sed -n 's/^ENTRYPOINT \["\.\/application", "\(-Xmx[^"]*\)".*/\1/p' docker/Dockerfile.native-micro)}
ISSUER_PORT=${ISSUER_PORT:-8999}
# (not 9000: the service's management port)
ISSUER2_PORT=${ISSUER2_PORT:-8998}
PORT=${PORT:-8088}
OUT=${OUT:-target/bench/$(date +%Y%m%d-%H%M%S)}
# The JVM options the container image ships, unless JAVA_OPTS says otherwise.
# (less the image's AOT cache path: the AOT target below gives its own).
# shellcheck source=bench/common.sh
source bench/common.sh
JAVA_OPTS=${JAVA_OPTS-$(image_java_opts)}
mkdir -p "$OUT"

need_wrk
build_unless_skipped

issuer_pid= issuer2_pid= target_pid=
cleanup() {
  [[ -n "$target_pid" ]] && kill "$target_pid" 2>/dev/null || true
  [[ -n "$issuer_pid" ]] && kill "$issuer_pid" 2>/dev/null || true
  [[ -n "$issuer2_pid" ]] && kill "$issuer2_pid" 2>/dev/null || true
}
trap cleanup EXIT

# The test certificates (a CA and a client's) for the "bound" workload; StaticIssuer binds bound.txt to the client's.
src/test/tls/certs.sh "$OUT/tls" >/dev/null
# nodelay: the JDK's HttpServer otherwise answers Vert.x's requests 40 ms late (Nagle against delayed ACKs), which
# a start-up measurement would count twice (discovery, keys).
java -Dsun.net.httpserver.nodelay=true bench/StaticIssuer.java "$ISSUER_PORT" "$OUT" >"$OUT/issuer.log" 2>&1 &
issuer_pid=$!
for _ in $(seq 1 60); do grep -q ready "$OUT/issuer.log" 2>/dev/null && break; sleep 0.5; done
issuer="http://127.0.0.1:$ISSUER_PORT"
# A second issuer (its own key) for the "issuers" workloads: ISSUER lists both, tokens of both mixed.
java -Dsun.net.httpserver.nodelay=true bench/StaticIssuer.java "$ISSUER2_PORT" "$OUT/issuer2" \
  >"$OUT/issuer2.log" 2>&1 &
issuer2_pid=$!
for _ in $(seq 1 60); do grep -q ready "$OUT/issuer2.log" 2>/dev/null && break; sleep 0.5; done
issuer2="http://127.0.0.1:$ISSUER2_PORT"
# mixed: one reused token of each issuer, in turns; mixed-distinct: 1,000 tokens, half of each, interleaved.
cat "$OUT/reused.txt" <(echo) "$OUT/issuer2/reused.txt" <(echo) >"$OUT/mixed.txt"
paste -d '\n' <(head -500 "$OUT/distinct.txt") <(head -500 "$OUT/issuer2/distinct.txt") >"$OUT/mixed-distinct.txt"
reused=$(cat "$OUT/reused.txt")
: >"$OUT/runs.tsv"
: >"$OUT/targets.tsv"

# get URL [TOKEN]: sets $status to the HTTP status of one GET (000 when nothing answers), with bash's own /dev/tcp:
# no process per try, so polling a starting server does not take the CPU it is starting on (curl would).
get() {
  local url=$1 token=${2:-} hostport path line
  [[ $url =~ ^http://([^/]+)(/.*)$ ]] || { echo "bench: not an http URL: $url" >&2; exit 1; }
  hostport=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
  status=000
  { exec {http}<>"/dev/tcp/${hostport%:*}/${hostport##*:}"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\n%sConnection: close\r\n\r\n' "$path" "$hostport" \
    "${token:+Authorization: Bearer $token$'\r\n'}" >&"$http"
  read -r -t 5 line <&"$http" || line=
  exec {http}<&-
  [[ $line =~ ^HTTP/1\.[01]\ ([0-9]{3}) ]] && status=${BASH_REMATCH[1]}
  return 0
}
exec {pause}<> <(:) # read -t on this never gets data: a sleep without a process

# start TARGET SECURED_URL COMMAND...: starts a server in the background, waits for the first 200 of SECURED_URL with
# the reused token (so the time includes fetching the issuer's keys and verifying a token), and records the median of
# STARTS such starts (the last one stays up for the benchmark).
start() {
  local target=$1 secured_url=$2 i started times=()
  shift 2
  for i in $(seq 1 "$STARTS"); do
    [[ -n "$target_pid" ]] && { kill "$target_pid"; wait "$target_pid" 2>/dev/null || true; target_pid=; }
    started=$(date +%s%N)
    "$@" >"$OUT/$target.log" 2>&1 &
    target_pid=$!
    get "$secured_url" "$reused"
    until [[ $status == 200 ]]; do
      kill -0 "$target_pid" 2>/dev/null || { echo "$target did not start, see $OUT/$target.log" >&2; exit 1; }
      read -r -t 0.002 -u "$pause" || true
      get "$secured_url" "$reused"
    done
    times+=($(( ($(date +%s%N) - started) / 1000000 )))
  done
  start_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
}

# stop TARGET: records its RSS and start time, then stops it.
stop() {
  local rss_kib
  rss_kib=$(awk '/^VmRSS/ {print $2}' "/proc/$target_pid/status")
  printf '%s\t%s\t%s\n' "$1" "$start_ms" "$((rss_kib / 1024))" >>"$OUT/targets.tsv"
  kill "$target_pid"
  wait "$target_pid" 2>/dev/null || true
  target_pid=
}

# cpu_ticks: the CPU time the target process has used so far (user + system, in clock ticks).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$target_pid/stat"; }

# run NAME URL [wrk args...]: one measured wrk run; appends "name req/s p50_ms p99_ms non2xx cpu_us_per_request" to
# $OUT/runs.tsv. The CPU time is the service process's own over the run (wrk's is not in it), divided by the requests
# wrk counted: less sensitive to what else the machine runs than req/s (for the flood, whose two wrk runs overlap,
# it is the process's CPU over both, per honest request: read it as an upper bound).
run() {
  local name=$1 url=$2 before after
  shift 2
  before=$(cpu_ticks)
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url" >"$OUT/${name/\//-}-$round.txt"
  after=$(cpu_ticks)
  awk -v n="$name" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    / requests in / { reqs = $1 }
    /Non-2xx/ { bad = $5 }
    END { printf "%s\t%.0f\t%.2f\t%.2f\t%d\t%.1f\n", n, rps, p50, p99, bad, (reqs > 0 ? ticks * 1e6 / hz / reqs : 0) }' \
    "$OUT/${name/\//-}-$round.txt" >>"$OUT/runs.tsv"
}

# bench TARGET OPEN_URL SECURED_URL WORKLOAD...: warm-up, then ROUNDS rounds of the workloads (names TARGET/WORKLOAD).
bench() {
  local target=$1 open_url=$2 secured_url=$3 w
  shift 3
  curl -fsS -o /dev/null -H "Authorization: Bearer $reused" "$secured_url" || { echo "$target refuses the token" >&2; exit 1; }
  # Warm-up: a third on the open endpoint, the rest on the secured one, so that both paths are compiled by the JIT
  # before anything is measured.
  echo "$target: warm-up ${WARMUP}s on $open_url and $secured_url"
  round=warmup
  wrk -t"$THREADS" -c"$CONNS" -d"$((WARMUP / 3))s" "$open_url" >"$OUT/$target-warmup-open.txt"
  wrk -t"$THREADS" -c"$CONNS" -d"$((WARMUP - WARMUP / 3))s" -H "Authorization: Bearer $reused" "$secured_url" \
    >"$OUT/$target-warmup.txt"
  for round in $(seq 1 "$ROUNDS"); do
    for w in "$@"; do
      case $w in
        open) run "$target/open" "$open_url" ;;
        reused) run "$target/reused" "$secured_url" -H "Authorization: Bearer $reused" ;;
        bound) run "$target/bound" "$secured_url" -H "Authorization: Bearer $(cat "$OUT/bound.txt")" \
          -H "ssl-client-cert: $(cat "$OUT/bound-cert.txt")" ;;
        distinct | invalid | mixed | mixed-distinct)
          TOKENS="$OUT/$w.txt" run "$target/$w" "$secured_url" -s bench/tokens.lua ;;
        opaque) run "$target/opaque" "$secured_url" -H "Authorization: Bearer $(cat "$OUT/opaque.txt")" ;;
        flood)
          THREADS=1 CONNS=48 run "$target/honest-alone" "$secured_url" -H "Authorization: Bearer $reused"
          # The attacker starts first and ends last, so that the honest run is flooded from its first to last second.
          DURATION=$((DURATION + 2)) THREADS=1 CONNS=16 TOKENS="$OUT/invalid.txt" \
            run "$target/forged" "$secured_url" -s bench/tokens.lua &
          local attacker=$!
          read -r -t 1 -u "$pause" || true
          THREADS=1 CONNS=48 run "$target/honest-flooded" "$secured_url" -H "Authorization: Bearer $reused"
          wait "$attacker" ;;
        dpop | dpop-rsa)
          # (the JDK 25 when there is one: it signs ES256 twice as fast as 17)
          "${JAVA25_HOME:+$JAVA25_HOME/bin/}java" bench/DpopProofs.java "$OUT/$w-key.txt" "$OUT/$w.txt" "$secured_url" \
            "$DPOP_PROOFS" "$(date +%s)" "$OUT/proofs.txt"
          TOKEN="$OUT/$w.txt" PROOFS="$OUT/proofs.txt" THREADS="$THREADS" \
            run "$target/$w" "$secured_url" -s bench/proofs.lua ;;
      esac
    done
  done
}

# Runs in the background subshell that start() makes; exec, so that its pid is the JVM's. The replay cache holds every
# proof of the dpop runs until they leave the window.
service() {
  exec env ISSUER="$issuer" AUDIENCE=api://messages QUARKUS_HTTP_PORT=$PORT DPOP_REPLAY_CACHE_SIZE=$((2 * ROUNDS * DPOP_PROOFS)) \
    DPOP_PROOF_WINDOW=900 "$@" \
    "$JAVA" $JAVA_OPTS -jar "${APP_DIR:-target/quarkus-app}/quarkus-run.jar"
}
base="http://127.0.0.1:$PORT"
# The DPoP workloads run in a process of their own (m2m-api-dpop): the replay cache they fill (every proof, for the
# bench's wide window) would otherwise weigh on the bearer rows that follow them in the same heap.
# (grep finds nothing when WORKLOADS has no such workload: not a failure)
bearer_workloads=$(tr ' ' '\n' <<<"$WORKLOADS" | { grep -v '^dpop\|^flood\|^issuers$\|^introspection$' || true; } | tr '\n' ' ')
flood_workloads=$(tr ' ' '\n' <<<"$WORKLOADS" | { grep '^flood' || true; } | tr '\n' ' ')
dpop_workloads=$(tr ' ' '\n' <<<"$WORKLOADS" | { grep '^dpop' || true; } | tr '\n' ' ')
# (the forwarded certificate of the "bound" workload: unbound tokens never look at it)
start m2m-api "$base/api/messages/protected" service TOKEN_FAILURE_BUDGET=off CLIENT_CERT_HEADER=ssl-client-cert \
  CLIENT_CERT_PROXIES=127.0.0.1
# shellcheck disable=SC2086
bench m2m-api "$base/api/messages/public" "$base/api/messages/protected" $bearer_workloads
stop m2m-api
if [[ -n "$flood_workloads" ]]; then
  start m2m-api-flood "$base/api/messages/protected" service
  # shellcheck disable=SC2086
  bench m2m-api-flood "$base/api/messages/public" "$base/api/messages/protected" $flood_workloads
  stop m2m-api-flood
fi
if [[ -n "$dpop_workloads" ]]; then
  start m2m-api-dpop "$base/api/messages/protected" service
  # shellcheck disable=SC2086
  bench m2m-api-dpop "$base/api/messages/public" "$base/api/messages/protected" reused $dpop_workloads
  stop m2m-api-dpop
  if [[ "$CRYPTO_JDK" == 1 ]]; then
    start m2m-api-dpop-jdk "$base/api/messages/protected" service CRYPTO_PROVIDER=jdk
    # shellcheck disable=SC2086
    bench m2m-api-dpop-jdk "$base/api/messages/public" "$base/api/messages/protected" $dpop_workloads
    stop m2m-api-dpop-jdk
  fi
fi
# Two issuers (ISSUER lists both): a reused token of the first (as in m2m-api/reused), one of each in turns (mixed),
# and 1,000 distinct tokens, half of each (mixed-distinct, against m2m-api/distinct).
if [[ " $WORKLOADS " == *" issuers "* ]]; then
  start m2m-api-issuers "$base/api/messages/protected" service ISSUER="$issuer,$issuer2" TOKEN_FAILURE_BUDGET=off
  bench m2m-api-issuers "$base/api/messages/public" "$base/api/messages/protected" reused mixed mixed-distinct
  stop m2m-api-issuers
fi
# Introspection (RFC 7662) with the revocation check on: a reused JWT (verified here, confirmed active by introspection
# every 30 s) and a reused opaque token (introspected, then answered from the introspection cache).
if [[ " $WORKLOADS " == *" introspection "* ]]; then
  start m2m-api-introspection "$base/api/messages/protected" service TOKEN_FAILURE_BUDGET=off \
    INTROSPECTION_CLIENT_ID=bench-api INTROSPECTION_CLIENT_SECRET=bench-secret REVOCATION_CHECK=true
  bench m2m-api-introspection "$base/api/messages/public" "$base/api/messages/protected" reused opaque
  stop m2m-api-introspection
fi
if [[ "$QUOTA" == 1 ]]; then
  start m2m-api-quota "$base/api/messages/protected" service RATE_LIMIT=999999999/1s
  bench m2m-api-quota "$base/api/messages/public" "$base/api/messages/protected" open reused
  stop m2m-api-quota
fi
if [[ "$UNCACHED" == 1 ]]; then
  start m2m-api-uncached "$base/api/messages/protected" service TOKEN_CACHE_SIZE=0
  bench m2m-api-uncached "$base/api/messages/public" "$base/api/messages/protected" reused distinct
  stop m2m-api-uncached
fi
if [[ -n "$BASELINE" ]]; then
  baseline_service() { APP_DIR="$BASELINE" service "$@"; }
  # As m2m-api: the bearer workloads without the failure budget ("invalid" is the cost of saying no), the flood with it.
  start m2m-api-baseline "$base/api/messages/protected" baseline_service TOKEN_FAILURE_BUDGET=off
  # shellcheck disable=SC2086
  bench m2m-api-baseline "$base/api/messages/public" "$base/api/messages/protected" $bearer_workloads
  stop m2m-api-baseline
  if [[ -n "$flood_workloads" ]]; then
    start m2m-api-baseline-flood "$base/api/messages/protected" baseline_service
    # shellcheck disable=SC2086
    bench m2m-api-baseline-flood "$base/api/messages/public" "$base/api/messages/protected" $flood_workloads
    stop m2m-api-baseline-flood
  fi
fi
if [[ -n "$AOT" ]]; then
  aot_service() { JAVA="$JAVA25_HOME/bin/java" JAVA_OPTS="$JAVA_OPTS -XX:AOTCache=$AOT/app.aot" APP_DIR="$AOT" service "$@"; }
  start m2m-api-aot "$base/api/messages/protected" aot_service
  # shellcheck disable=SC2086
  bench m2m-api-aot "$base/api/messages/public" "$base/api/messages/protected" $WORKLOADS
  stop m2m-api-aot
fi
if [[ -n "$NATIVE" ]]; then
  # shellcheck disable=SC2086
  native_service() { exec env ISSUER="$issuer" AUDIENCE=api://messages QUARKUS_HTTP_PORT=$PORT \
    DPOP_REPLAY_CACHE_SIZE=$((2 * ROUNDS * DPOP_PROOFS)) DPOP_PROOF_WINDOW=900 "$@" "$NATIVE" $NATIVE_OPTS; }
  start m2m-api-native "$base/api/messages/protected" native_service
  # shellcheck disable=SC2086
  bench m2m-api-native "$base/api/messages/public" "$base/api/messages/protected" $WORKLOADS
  stop m2m-api-native
  if [[ "$UNCACHED" == 1 ]]; then
    start m2m-api-native-uncached "$base/api/messages/protected" native_service TOKEN_CACHE_SIZE=0
    bench m2m-api-native-uncached "$base/api/messages/public" "$base/api/messages/protected" reused
    stop m2m-api-native-uncached
  fi
fi
peers=()
if [[ -n "$PEERS" ]]; then
  start seed-node http://127.0.0.1:3000/api/messages \
    env ISSUER="$issuer" JWKS_URI="$issuer/jwks" PORT=3000 node "$PEERS/anchors/seed-node/server.js"
  bench seed-node http://127.0.0.1:3000/health http://127.0.0.1:3000/api/messages open reused
  stop seed-node
  start spring-rs http://127.0.0.1:8081/api/messages \
    env ISSUER="$issuer" PORT=8081 java -jar "$PEERS/anchors/spring-rs/target/spring-rs.jar"
  bench spring-rs http://127.0.0.1:8081/health http://127.0.0.1:8081/api/messages open reused
  stop spring-rs
  peers=(seed-node spring-rs)
fi
load=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v n="$1" -v c="$2" -F'\t' '$1 == n { print $c }' "$OUT/runs.tsv" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else printf "-" }'; }
{
  echo "m2m-api benchmark, $(date -u +%Y-%m-%dT%H:%MZ), wrk -t$THREADS -c$CONNS, warm-up ${WARMUP}s, ${DURATION}s runs, medians of $ROUNDS"
  echo "machine: $(nproc) cores, load average after the runs: $load"
  echo "m2m-api JVM options: $JAVA_OPTS ($("$JAVA" -version 2>&1 | head -1))"
  [[ -n "$NATIVE" ]] && echo "m2m-api-native options: $NATIVE_OPTS"
  printf '%-28s %10s %8s %8s %9s %11s %12s\n' 'target/workload' 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' 'ratio/open' \
    'cpu us/req'
  for name in $(cut -f1 "$OUT/runs.tsv" | awk '!seen[$0]++'); do
    open_rps=$(col "${name%%/*}/open" 2)
    [[ -n "$open_rps" ]] || open_rps=$(col m2m-api/open 2)
    printf '%-28s %10.0f %8.2f %8.2f %9.0f %11s %12.1f\n' "$name" "$(col "$name" 2)" "$(col "$name" 3)" \
      "$(col "$name" 4)" "$(col "$name" 5)" "$(ratio "$(col "$name" 2)" "$open_rps")" "$(col "$name" 6)"
  done
  echo
  printf '%-24s %28s %18s\n' target 'start to first secured 200' 'RSS after load'
  awk -F'\t' -v n="$STARTS" '{ printf "%-24s %14s ms (median of %s) %10s MiB\n", $1, $2, n, $3 }' "$OUT/targets.tsv"
  ours=$(col m2m-api/reused 2)
  if [[ -n "$ours" ]]; then
    echo
    echo "secured, one reused token: m2m-api $(printf %.0f "$ours") req/s"
    [[ -n "$(col m2m-api/bound 2)" ]] && echo "  a certificate-bound token (RFC 8705, its certificate forwarded by a trusted proxy):" \
      "$(ratio "$(col m2m-api/bound 2)" "$ours")x the reused token's req/s, CPU per request $(col m2m-api/bound 6) us" \
      "against $(col m2m-api/reused 6) us"
    [[ -n "$(col m2m-api-uncached/reused 2)" ]] && echo "  vs m2m-api with the cache off (Quarkus OIDC alone): $(ratio "$ours" "$(col m2m-api-uncached/reused 2)")x;" \
      "1,000 distinct tokens: $(ratio "$(col m2m-api/distinct 2)" "$(col m2m-api-uncached/distinct 2)")x"
    [[ -n "$(col m2m-api-quota/reused 2)" ]] && echo "  with a quota counted on every request (RATE_LIMIT): $(ratio "$(col m2m-api-quota/reused 2)" "$ours")x;" \
      "CPU per request $(col m2m-api-quota/reused 6) us against $(col m2m-api/reused 6) us ($(ratio "$(col m2m-api/reused 6)" "$(col m2m-api-quota/reused 6)")x)"
    for t in m2m-api-flood m2m-api-baseline-flood; do
      [[ -n "$(col "$t/honest-flooded" 2)" ]] && echo "  $t, honest callers while 1,000 forged tokens flood: $(ratio "$(col "$t/honest-flooded" 2)" "$(col "$t/honest-alone" 2)")x" \
        "their throughput alone, p99 $(col "$t/honest-flooded" 4) ms (alone $(col "$t/honest-alone" 4) ms); the forged: $(printf %.0f "$(col "$t/forged" 2)") req/s"
    done
    [[ -n "$(col m2m-api-issuers/mixed 2)" ]] && echo "  two issuers (ISSUER lists both), one token of each in turns:" \
      "CPU per request $(col m2m-api-issuers/mixed 6) us against one issuer's reused token $(col m2m-api/reused 6) us;" \
      "1,000 distinct, half of each: $(col m2m-api-issuers/mixed-distinct 6) us against $(col m2m-api/distinct 6) us"
    [[ -n "$(col m2m-api-introspection/opaque 2)" ]] && echo "  introspection, warm: an opaque token $(ratio "$(col m2m-api-introspection/opaque 2)" "$ours")x" \
      "the reused JWT's req/s (CPU per request $(col m2m-api-introspection/opaque 6) us against $(col m2m-api/reused 6) us);" \
      "a reused JWT with REVOCATION_CHECK: $(ratio "$(col m2m-api-introspection/reused 2)" "$ours")x"
    [[ -n "$(col m2m-api-baseline/reused 2)" ]] && echo "  vs the baseline build ($BASELINE): $(ratio "$ours" "$(col m2m-api-baseline/reused 2)")x;" \
      "open: $(ratio "$(col m2m-api/open 2)" "$(col m2m-api-baseline/open 2)")x;" \
      "distinct: $(ratio "$(col m2m-api/distinct 2)" "$(col m2m-api-baseline/distinct 2)")x;" \
      "invalid: $(ratio "$(col m2m-api/invalid 2)" "$(col m2m-api-baseline/invalid 2)")x"
    [[ -n "$(col m2m-api-aot/reused 2)" ]] && echo "  vs the jar with the AOT cache: $(ratio "$(col m2m-api-aot/reused 2)" "$ours")x of the jar's"
    [[ -n "$(col m2m-api-native/reused 2)" ]] && echo "  vs the native executable: $(ratio "$(col m2m-api-native/reused 2)" "$ours")x of the jar's"
    for peer in "${peers[@]}"; do
      echo "  vs $peer: $(ratio "$ours" "$(col "$peer/reused" 2)")x"
    done
  fi
  # DPoP (issue 25): a proof cannot be cached, so its row is held against the bearer token verified on every request.
  for w in dpop dpop-rsa; do
    [[ -n "$(col "m2m-api-dpop/$w" 2)" ]] && echo "$w, a new proof per request: $(printf %.0f "$(col "m2m-api-dpop/$w" 2)") req/s," \
      "$(ratio "$(col "m2m-api-dpop/$w" 2)" "$(col m2m-api-dpop/reused 2)")x the reused bearer token in the same process," \
      "$(ratio "$(col "m2m-api-dpop/$w" 2)" "$(col m2m-api-uncached/reused 2)")x the cache-off bearer token"
    [[ -n "$(col "m2m-api-dpop-jdk/$w" 2)" ]] && echo "  with CRYPTO_PROVIDER=jdk: $(printf %.0f "$(col "m2m-api-dpop-jdk/$w" 2)") req/s," \
      "$(ratio "$(col "m2m-api-dpop-jdk/$w" 2)" "$(col m2m-api-uncached/reused 2)")x the cache-off bearer token;" \
      "CPU per request $(col "m2m-api-dpop/$w" 6) us against $(col "m2m-api-dpop-jdk/$w" 6) us"
    [[ -n "$(col "m2m-api-native/$w" 2)" ]] && echo "  native: $(printf %.0f "$(col "m2m-api-native/$w" 2)") req/s," \
      "$(ratio "$(col "m2m-api-native/$w" 2)" "$(col m2m-api-native-uncached/reused 2)")x the native cache-off bearer token"
  done
  : # (the last test above may be false: not a failure)
} | tee "$OUT/results.txt"
