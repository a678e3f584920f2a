#!/usr/bin/env bash
# Where a request's allocation goes (issue 28): the service with the container image's JVM options and Java Flight
# Recorder's allocation sampling (jdk.ObjectAllocationSample, built into the JDK), one workload of wrk for SECONDS,
# then the allocation per request (JFR's sampled weight over the requests wrk counted) and the allocation sites that
# weigh most: by allocating frame, and by the first frame of this service's code on the stack (what our code makes
# others allocate). A profile, not a benchmark: the totals are estimates from samples (JFR weighs each sample by the
# bytes allocated since the last), good for finding and comparing sites, not for timing.
#
#   bench/alloc-profile.sh                         # WORKLOAD=reused (one valid token, the cache-hit path)
#   WORKLOAD=forged SKIP_BUILD=1 bench/alloc-profile.sh   # 1,000 forged tokens (the refusal path, refusal memory)
#   WORKLOAD=open   ...                            # no token at all (what every request pays regardless)
#   WORKLOAD=dpop   ...                            # one DPoP-bound token and a new ES256 proof per request (PROOFS of
#                                                  # them made ahead, as bench/run.sh's dpop workload: 200,000)
#   SERVICE_ENV="TOKEN_CACHE_SIZE=0" ...           # settings for the service (here: every token verified afresh)
# With CPU=1 it also prints where the CPU time goes (jdk.ExecutionSample: the methods most often on top, and the
# nearest frame of this service's code or the library below them).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

WORKLOAD=${WORKLOAD:-reused}
JAVA25_HOME=${JAVA25_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)} # signs the dpop proofs: twice as fast as 17
SECONDS_=${SECONDS:-30}
WARMUP=${WARMUP:-20}
TOP=${TOP:-25}
APP_DIR=${APP_DIR:-target/quarkus-app}
JAVA=${JAVA:-java}
ISSUER_PORT=${ISSUER_PORT:-8994}
PORT=${PORT:-8093}
OUT=${OUT:-target/alloc-profile}
JAVA_OPTS=${JAVA_OPTS:-$(image_java_opts)}

jdk_bin=$(dirname "$(readlink -f "$(command -v "$JAVA")")") # jcmd and jfr of the JDK that runs the service
need_wrk
build_unless_skipped
rm -rf "$OUT" && mkdir -p "$OUT"
issuer_pid= service_pid=
cleanup() {
  [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
  [[ -n "$issuer_pid" ]] && kill "$issuer_pid" 2>/dev/null || true
}
trap cleanup EXIT

java -Dsun.net.httpserver.nodelay=true bench/StaticIssuer.java "$ISSUER_PORT" "$OUT" >"$OUT/issuer.log" 2>&1 &
issuer_pid=$!
for _ in $(seq 1 60); do grep -q ready "$OUT/issuer.log" 2>/dev/null && break; sleep 0.5; done

# shellcheck disable=SC2086
env ISSUER="http://127.0.0.1:$ISSUER_PORT" AUDIENCE=api://messages QUARKUS_HTTP_PORT=$PORT \
  QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) TOKEN_FAILURE_BUDGET=off DPOP_PROOF_WINDOW=900 \
  DPOP_REPLAY_CACHE_SIZE=1000000 ${SERVICE_ENV:-} \
  "$JAVA" $JAVA_OPTS -jar "$APP_DIR/quarkus-run.jar" >"$OUT/service.log" 2>&1 &
service_pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do curl -fs -o /dev/null "$base/api/messages/public" && break; sleep 0.5; done

case "$WORKLOAD" in
  reused) tokens="$OUT/reused.txt" url="$base/api/messages/protected" ;;
  forged) tokens="$OUT/invalid.txt" url="$base/api/messages/protected" ;;
  distinct) tokens="$OUT/distinct.txt" url="$base/api/messages/protected" ;;
  open) tokens= url="$base/api/messages/public" ;;
  dpop) tokens= url="$base/api/messages/protected"
    # Two sets, one per wrk run: a proof is good once (the warm-up's would be replays in the measured run).
    for set in warmup measured; do
      "${JAVA25_HOME:+$JAVA25_HOME/bin/}java" bench/DpopProofs.java "$OUT/dpop-key.txt" "$OUT/dpop.txt" "$url" "${PROOFS:-200000}" "$(date +%s)" \
        "$OUT/proofs-$set.txt"
    done ;;
  *) echo "WORKLOAD: reused, forged, distinct, open or dpop" >&2; exit 2 ;;
esac
load() { # SECONDS: wrk on the workload; prints the requests it completed
  if [[ "$WORKLOAD" == dpop ]]; then
    TOKEN="$OUT/dpop.txt" PROOFS="$OUT/proofs-$2.txt" wrk -t2 -c32 -d"$1"s -s bench/proofs.lua "$url"
  elif [[ -n "$tokens" ]]; then
    TOKENS="$tokens" wrk -t2 -c32 -d"$1"s -s bench/tokens.lua "$url"
  else
    wrk -t2 -c32 -d"$1"s "$url"
  fi | awk '/requests in/ { print $1 }'
}
load "$WARMUP" warmup >/dev/null
# The recording from here on only: a named recording started now (the start-up's and warm-up's are left out).
"$jdk_bin/jcmd" "$service_pid" JFR.start name=measured settings=profile filename="$OUT/measured.jfr" >/dev/null
requests=$(load "$SECONDS_" measured)
"$jdk_bin/jcmd" "$service_pid" JFR.stop name=measured >/dev/null

"$jdk_bin/jfr" print --events jdk.ObjectAllocationSample --stack-depth 64 "$OUT/measured.jfr" >"$OUT/samples.txt"
if [[ "${CPU:-0}" == 1 ]]; then
  "$jdk_bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$OUT/measured.jfr" >"$OUT/cpu.txt"
  python3 - "$OUT/cpu.txt" "$TOP" <<'EOF'
import re, sys
stacks, cur = [], None
for line in open(sys.argv[1]):
    if line.startswith('jdk.ExecutionSample'):
        cur = []; stacks.append(cur)
    elif cur is not None:
        m = re.match(r'\s+([\w$.<>]+)\(', line)
        if m: cur.append(m.group(1))
top = int(sys.argv[2])
def table(title, key):
    sums = {}
    for st in stacks:
        k = key(st); sums[k] = sums.get(k, 0) + 1
    print(f"\n{title} ({len(stacks)} samples)")
    for k, n in sorted(sums.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{100 * n / len(stacks):5.1f}%  {k}")
table("CPU: method on top", lambda st: st[0] if st else '?')
AREAS = ('com.example.', 'org.jose4j.', 'io.quarkus.oidc.', 'io.smallrye.jwt.', 'com.fasterxml.jackson.',
         'io.vertx.core.json.', 'sun.security.', 'com.amazon.corretto.', 'io.quarkus.security.', 'io.smallrye.mutiny.',
         'io.netty.', 'io.vertx.')
def area(st):
    for f in st:
        for pkg in AREAS:
            if f.startswith(pkg):
                return f if pkg == 'com.example.' else pkg + '*'
    return '(other)'
table("CPU: nearest known area (ours by method)", area)
EOF
fi
python3 - "$OUT/samples.txt" "$requests" "$TOP" "$WORKLOAD" <<'EOF'
import re, sys
path, requests, top, workload = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
events, cur = [], None
for line in open(path):
    line = line.rstrip()
    if line.startswith('jdk.ObjectAllocationSample'):
        cur = {'weight': 0, 'class': '?', 'stack': []}; events.append(cur)
    elif cur is not None:
        m = re.match(r'\s+weight = (.*)', line)
        if m:
            v = m.group(1).replace(',', '')
            num, unit = re.match(r'([\d.]+)\s*(\w+)', v).groups()
            cur['weight'] = float(num) * {'bytes': 1, 'byte': 1, 'kB': 1024, 'MB': 1024**2, 'GB': 1024**3}[unit]
        m = re.match(r'\s+eventThread = "([^"]*)"', line)
        if m: cur['thread'] = m.group(1)
        m = re.match(r'\s+objectClass = (\S+)', line)
        if m: cur['class'] = m.group(1)
        m = re.match(r'\s+([\w$.<>]+)\(.*line: (\d+)', line)
        if m: cur['stack'].append(m.group(1) + ':' + m.group(2))
# A thread's first sample weighs everything it allocated before the recording (JFR's weight is the bytes the thread
# allocated since its previous sample): left out.
seen, measured = set(), []
for e in events:
    t = e.get('thread')
    if t in seen:
        measured.append(e)
    seen.add(t)
events = measured
total = sum(e['weight'] for e in events)
print(f"workload {workload}: {requests} requests, {total / 2**20:.0f} MiB sampled, "
      f"{total / max(requests, 1) / 1024:.1f} KiB per request")
def table(title, key):
    sums = {}
    for e in events:
        k = key(e)
        sums[k] = sums.get(k, 0) + e['weight']
    print(f"\n{title} (bytes per request, share)")
    for k, w in sorted(sums.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{w / max(requests, 1):10.0f}  {100 * w / total:5.1f}%  {k}")
table("allocating frame", lambda e: (e['stack'][0] if e['stack'] else '?') + '  ' + e['class'])
table("first frame of com.example", lambda e: next((f for f in e['stack'] if f.startswith('com.example.')), '(none of ours)'))
EOF
