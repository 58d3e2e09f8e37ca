#!/usr/bin/env bash
# The benchmark harness. One command:
# bench/run.sh [targets|all|webhook|webhook-external|warmup|startup|relay|jmh|replay|console]
# (console seeds a million decisions, so `all` leaves it out). `targets` measures what the targets
# in bench/RESULTS.md compare, in one run: the webhook beside the tutorial's server and the bare
# Spring Boot app, RSS after the load, start-up beside the bare app, and the engine in JMH; it ends
# with one table of targets, measurements and ratios.
#
# Installs what it needs (wrk from Debian's packages; JMH comes from Maven Central through the
# bench profile), builds the jar if it is missing, starts and stops everything it runs by PID, and
# writes raw output and a summary under bench/results/<UTC timestamp>/.
#
# Settings (environment): RUNS (measured wrk runs, default 3), DURATION (seconds each, default 15),
# WARMUP (seconds of load before them, default 60),
# CONNECTIONS (default 32), THREADS (wrk threads, default 2), PROFILE (set: a JFR recording of
# the webhook's measured runs and where its CPU goes), JMH_OPTS (extra JMH options), RELAY_RECORDS (default 100000),
# REPLAY_DECISIONS (default 20000), WARMUP_SECONDS (default 180), CONSOLE_DECISIONS (default
# 1000000; the console mode runs on BENCH_CONSOLE_PORT 18192 and BENCH_CONSOLE_PG_PORT 25492).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

WHAT=${1:-all}
RUNS=${RUNS:-3}
DURATION=${DURATION:-15}
# The warm-up before the measured runs, the same for every server: a JVM's JIT is still compiling
# after 15 s under this load (the seed's V8 is not), and the targets are about steady state.
WARMUP=${WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
RELAY_RECORDS=${RELAY_RECORDS:-100000}
REPLAY_DECISIONS=${REPLAY_DECISIONS:-20000}
CONSOLE_DECISIONS=${CONSOLE_DECISIONS:-1000000}
PORT=${BENCH_PORT:-18190}
# The reference apps measured beside scimgate (seed-ts, spring-floor); nothing else uses them.
ANCHORS=${BENCH_ANCHORS:-$ROOT/../shared/anchors}
# Below the kernel's ephemeral range (32768-60999): a port there may be taken meanwhile by any
# program that asked for a free one, an embedded PostgreSQL of a test run for instance.
PG_PORT=${BENCH_PG_PORT:-25490}
SIEM_PORT=${BENCH_SIEM_PORT:-18191}
TOKEN=bench-webhook-token
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
DATA=$(mktemp -d /tmp/scimgate-bench-XXXXXX)
mkdir -p "$OUT"
APP_PID=""
SIEM_PID=""

cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "$SIEM_PID" ] && kill "$SIEM_PID" 2>/dev/null || true
}
trap cleanup EXIT

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "Installing $2 from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
}

jar() {
  [ -f target/scimgate.jar ] || ./mvnw -q -B -ntp -DskipTests package
}

PSQL_URL=""
psql_q() {
  if [ -n "$PSQL_URL" ]; then
    psql "$PSQL_URL" -tAc "$1"
  else
    PGPASSWORD="$(cat "$DATA/postgres.password")" psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d scimgate -tAc "$1"
  fi
}

start_app() { # extra environment as arguments: NAME=value ...
  # Another service on these ports would answer the health probe and take the load (and the seeding) meant for ours.
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/" || (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
    echo "port $PORT or $PG_PORT is already in use; set BENCH_PORT and BENCH_PG_PORT to free ones" >&2
    exit 1
  fi
  env PORT=$PORT SCIMGATE_DATA_DIR="$DATA" SCIMGATE_EMBEDDED_DB_PORT=$PG_PORT SCIMGATE_WEBHOOK_TOKEN=$TOKEN \
      SCIMGATE_OPERATOR_KEY=bench-operator-key "$@" \
      ${APP_CMD:-bin/scimgate} >>"$OUT/service.log" 2>&1 &
  APP_PID=$!
  local start=$(date +%s.%N)
  for _ in $(seq 1 2400); do
    if curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1; then
      STARTUP_SECONDS=$(echo "$(date +%s.%N) - $start" | bc)
      return 0
    fi
    kill -0 "$APP_PID" 2>/dev/null || { echo "the service exited; see $OUT/service.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "the service did not become healthy; see $OUT/service.log" >&2
  exit 1
}

stop_app() {
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}

# How long a wrk run lasts: the warm-up, or a measured run.
seconds() { [ "$1" = warmup ] && echo "$WARMUP" || echo "$DURATION"; }

# CPU accounting, in clock ticks: a process's own time and that of its children it has reaped.
cpu_ticks() { # pids
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}
# The embedded PostgreSQL's postmaster and its backends (the writers' connections live for the run).
pg_pids() {
  local pm
  pm=$(head -1 "$DATA/postgres/postmaster.pid" 2>/dev/null) || return 0
  echo "$pm" $(pgrep -P "$pm")
}
machine_ticks() { awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8, $5+$6}' /proc/stat; } # all, idle
# Runs one wrk run (arguments: output file, then wrk's arguments) and appends, to the RESULT line,
# the CPU each side spent per answered request (µs) and the machine's idle share during the run.
wrk_accounted() {
  local out=$1; shift
  local server=("$APP_PID" $(pgrep -P "$APP_PID")) pg=($(pg_pids))
  local s0 p0 m0 i0
  s0=$(cpu_ticks "${server[@]}"); p0=$(cpu_ticks "${pg[@]}"); read -r m0 i0 < <(machine_ticks)
  wrk "$@" > "$out" 2>&1
  local s1 p1 m1 i1
  s1=$(cpu_ticks "${server[@]}"); p1=$(cpu_ticks "${pg[@]}"); read -r m1 i1 < <(machine_ticks)
  local requests hz
  requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$out")
  hz=$(getconf CLK_TCK)
  [ -n "$requests" ] && [ "$requests" -gt 0 ] && sed -i "s/^RESULT .*/& $(awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) \
      -v m=$((m1 - m0)) -v i=$((i1 - i0)) -v n="$requests" -v hz="$hz" 'BEGIN {
        printf "server_cpu_us=%.0f pg_cpu_us=%.0f idle_pct=%.0f", s * 1e6 / hz / n, p * 1e6 / hz / n, 100 * i / m }')/" "$out"
}

rss_mb() {
  awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$APP_PID/status"
}

webhook() { # extra environment for the service as arguments
  need wrk wrk
  need psql postgresql-client
  need bc bc
  echo "== webhook load: wrk -t$THREADS -c$CONNECTIONS, warm-up ${WARMUP}s then $RUNS x ${DURATION}s"
  # PROFILE=1: a JFR recording of the measured runs, summarised below as the hottest frames.
  # The recording starts when the warm-up ends (jcmd), not a fixed delay after the JVM's start: on
  # a loaded machine the start alone can outlast any delay, and the profile was then the start-up's.
  local jfr=""
  [ -n "${PROFILE:-}" ] && jfr="-XX:FlightRecorderOptions:stackdepth=512"
  start_app SCIMGATE_RELAY_ENABLED=false JAVA_OPTS="${JAVA_OPTS:-} $jfr" "$@"
  local answered=0
  for run in warmup $(seq 1 "$RUNS"); do
    [ -n "$jfr" ] && [ "$run" = 1 ] && jcmd "$APP_PID" JFR.start name=bench settings=profile >/dev/null
    BENCH_RUN="$run-$(date +%s%N)" SCIMGATE_WEBHOOK_TOKEN=$TOKEN \
      wrk_accounted "$OUT/wrk-$run.txt" -t"$THREADS" -c"$CONNECTIONS" -d"$(seconds "$run")s" -s bench/webhook.lua \
      "http://127.0.0.1:$PORT"
    local line=$(grep '^RESULT' "$OUT/wrk-$run.txt")
    echo "  $run: $line"
    answered=$((answered + $(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')))
  done
  local rss=$(rss_mb)
  echo "RSS_MB=$rss" >> "$OUT/targets.env"
  sleep 1
  local rows=$(psql_q "SELECT count(*) FROM decision_audit")
  echo "  RSS peak ${rss} MB; audit rows $rows for $answered answered requests" | tee -a "$OUT/summary.txt"
  # wrk counts only answers received within the run; requests still in flight when a run ends are
  # recorded too, so rows may exceed answers by at most the connections of each run.
  [ "$rows" -ge "$answered" ] && [ "$rows" -le $((answered + CONNECTIONS * (RUNS + 1))) ] \
    && echo "  audit check: every answered request has its row ($((rows - answered)) more were in flight at run ends)" | tee -a "$OUT/summary.txt" \
    || echo "  audit check FAILED: $rows rows for $answered answers" | tee -a "$OUT/summary.txt"
  grep -h '^RESULT' "$OUT"/wrk-[0-9]*.txt | sort -t= -k4 -n > "$OUT/measured.txt"
  if [ -n "$jfr" ]; then
    jcmd "$APP_PID" JFR.dump name=bench filename="$OUT/webhook.jfr" >/dev/null 2>&1 || true
    profile_summary "$OUT/webhook.jfr" | tee "$OUT/profile.txt"
  fi
  python3 - "$OUT/measured.txt" <<'PY' | tee -a "$OUT/summary.txt"
import statistics, sys
runs = [dict(kv.split("=") for kv in line.split()[1:]) for line in open(sys.argv[1])]
median = lambda key: statistics.median(float(r[key]) for r in runs)
print(f"  median of {len(runs)} runs: {median('rps'):.0f} requests/s, p50 {median('p50_ms'):.2f} ms, p99 {median('p99_ms'):.2f} ms")
if all("server_cpu_us" in r for r in runs):
    print(f"  CPU per request: the service {median('server_cpu_us'):.0f} µs, PostgreSQL {median('pg_cpu_us'):.0f} µs;"
          f" the machine idle {median('idle_pct'):.0f} % of the time")
with open(sys.argv[1].replace("measured.txt", "targets.env"), "a") as env:
    env.write(f"SCIM_RPS={median('rps'):.0f}\nSCIM_P99={median('p99_ms'):.2f}\n")
PY
  stop_app
}

# The hottest frames of a JFR recording: the share of CPU samples whose top frame is in each
# package group, and the 15 most frequent top methods.
profile_summary() {
  jfr print --stack-depth 96 --events jdk.ExecutionSample "$1" | python3 -c '
import collections, re, sys
stacks, current = [], None
for line in sys.stdin:
    if "stackTrace = [" in line:
        current = []; stacks.append(current)
    else:
        m = re.match(r"\s+([\w$.<>]+)\(", line)
        if m and current is not None:
            current.append(m.group(1))
n = len(stacks) or 1
marks = [("policy evaluation (Drools)", "org.scimgate.policy.Ruleset.evaluate"),
         ("audit write and commit", "org.scimgate.decision.Decisions.record"),
         ("JDBC driver", "org.postgresql."), ("JSON (Jackson)", "com.fasterxml.jackson."),
         ("webhook filter, all of it", "org.scimgate.webhook.WebhookFilter.doFilter"),
         ("Tomcat / servlet stack outside the filter", None), ("logging", "ch.qos.logback."),
         ("metrics / observation", "io.micrometer.")]
print(f"  {len(stacks)} CPU samples of the service; share of samples with the frame anywhere on the stack:")
for name, prefix in marks:
    if prefix is None:
        c = sum(1 for s in stacks if any(f.startswith("org.apache.") for f in s)
                and not any(f.startswith("org.scimgate.webhook.WebhookFilter") for f in s))
    else:
        c = sum(1 for s in stacks if any(f.startswith(prefix) for f in s))
    print(f"    {100*c/n:5.1f} %  {name}")
tops = collections.Counter(s[0] for s in stacks if s)
print("  hottest methods (top frame):")
for f, c in tops.most_common(12): print(f"    {100*c/n:5.1f} %  {f}")
'
}

# Warm-up: a freshly started service under the same load, requests/s per 5-second window for
# WARMUP_SECONDS (default 180). Steady state is the median of the last 30 seconds; the report says
# when the service first reached 80 % of it and what share it had reached 30 s after the first request.
warmup() {
  need wrk wrk
  local seconds=${WARMUP_SECONDS:-180}
  echo "== warm-up curve: wrk -t$THREADS -c$CONNECTIONS in 5 s windows for ${seconds}s from the first request"
  start_app SCIMGATE_RELAY_ENABLED=false
  : > "$OUT/warmup.txt"
  for window in $(seq 1 $((seconds / 5))); do
    BENCH_RUN="warm-$window-$(date +%s%N)" SCIMGATE_WEBHOOK_TOKEN=$TOKEN \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s bench/webhook.lua "http://127.0.0.1:$PORT" \
      | grep '^RESULT' | sed "s/^RESULT/WINDOW end_s=$((window * 5))/" >> "$OUT/warmup.txt"
  done
  python3 - "$OUT/warmup.txt" <<'PY' | tee -a "$OUT/summary.txt"
import statistics, sys
windows = [dict(kv.split("=") for kv in line.split()[1:]) for line in open(sys.argv[1])]
rps = [float(w["rps"]) for w in windows]
steady = statistics.median(rps[-6:])
first = next((int(w["end_s"]) for w, r in zip(windows, rps) if r >= 0.8 * steady), None)
at30 = rps[5] / steady if len(rps) > 5 else float("nan")
print("  requests/s per 5 s: " + " ".join(f"{r:.0f}" for r in rps))
print(f"  steady state (median of the last 30 s): {steady:.0f} requests/s; 80 % first reached in the window "
      f"ending at {first} s; the window ending at 30 s ran at {100 * at30:.0f} % of steady state")
PY
  stop_app
}

# The same load against the two references beside this repository, when they are there: the
# tutorial's TypeScript server (seed-ts) and a bare Spring Boot app (spring-floor). Built in a
# temporary copy; nothing in the project depends on them. Prints each median and the ratio.
anchors() {
  local seed_src="$ANCHORS/seed-ts" floor_src="$ANCHORS/spring-floor"
  local scim_rps=$(sed -n 's/.*median of [0-9]* runs: \([0-9]*\) requests.*/\1/p' "$OUT/summary.txt" | head -1)
  anchor_load() { # name path
    local name=$1 path=$2
    for run in warmup $(seq 1 "$RUNS"); do
      BENCH_RUN="$name-$run-$(date +%s%N)" BENCH_PATH=$path \
        wrk_accounted "$OUT/wrk-$name-$run.txt" -t"$THREADS" -c"$CONNECTIONS" -d"$(seconds "$run")s" -s bench/webhook.lua \
        "http://127.0.0.1:$PORT"
      echo "  $name $run: $(grep '^RESULT' "$OUT/wrk-$name-$run.txt")"
    done
    grep -h '^RESULT' "$OUT"/wrk-"$name"-[0-9]*.txt > "$OUT/measured-$name.txt"
    python3 - "$OUT/measured-$name.txt" "$name" "${scim_rps:-0}" <<'PY' | tee -a "$OUT/summary.txt"
import statistics, sys
runs = [dict(kv.split("=") for kv in line.split()[1:]) for line in open(sys.argv[1])]
rps = statistics.median(float(r["rps"]) for r in runs)
scim = float(sys.argv[3])
ratio = f"; scimgate / {sys.argv[2]} = {scim / rps:.2f}" if scim else ""
print(f"  {sys.argv[2]}: median {rps:.0f} requests/s, p99 {statistics.median(float(r['p99_ms']) for r in runs):.2f} ms{ratio}")
if all("server_cpu_us" in r for r in runs):
    print(f"  {sys.argv[2]}: CPU per request {statistics.median(float(r['server_cpu_us']) for r in runs):.0f} µs;"
          f" the machine idle {statistics.median(float(r['idle_pct']) for r in runs):.0f} % of the time")
with open(sys.argv[1].replace(f"measured-{sys.argv[2]}.txt", "targets.env"), "a") as env:
    env.write(f"{sys.argv[2].upper()}_RPS={rps:.0f}\n")
PY
  }
  if [ -d "$seed_src" ] && command -v npm >/dev/null 2>&1; then
    echo "== the tutorial's TypeScript server, same load"
    cp -r "$seed_src" "$DATA/seed-ts"
    (cd "$DATA/seed-ts" && npm ci --silent >/dev/null 2>&1 && npm run -s build >/dev/null)
    (cd "$DATA/seed-ts" && PORT=$PORT exec node dist/server.js >>"$OUT/seed.log" 2>&1) &
    APP_PID=$!
    until curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; do sleep 0.1; done
    anchor_load seed /webhook/scim-validation
    stop_app
  fi
  if [ -d "$floor_src" ] && command -v mvn >/dev/null 2>&1; then
    echo "== the bare Spring Boot app (@PostMapping), same load"
    [ -d "$DATA/spring-floor" ] || cp -r "$floor_src" "$DATA/spring-floor"
    (cd "$DATA/spring-floor" && (mvn -q -B -o package -DskipTests >/dev/null 2>&1 || mvn -q -B package -DskipTests >/dev/null))
    java -jar "$DATA/spring-floor/target/floor.jar" --server.port=$PORT >>"$OUT/floor.log" 2>&1 &
    APP_PID=$!
    until curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; do sleep 0.1; done
    anchor_load floor /mvc
    stop_app
  fi
}

# The same load against an external PostgreSQL: the machine's own cluster (Debian's postgresql
# package, started with pg_ctlcluster if it is installed and stopped), in a database of its own.
webhook_external() {
  need pg_ctlcluster postgresql
  local version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  local started_here=""
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    pg_ctlcluster "$version" main start
    started_here=yes
  fi
  local ext_port=$(pg_conftool "$version" main show port 2>/dev/null | awk '{print $3}')
  ext_port=${ext_port:-5432}
  local sql=$(mktemp /tmp/scimgate-bench-XXXXXX.sql)
  cat > "$sql" <<'SQL'
DROP DATABASE IF EXISTS scimgate_bench;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'scimgate_bench') THEN
    CREATE ROLE scimgate_bench LOGIN PASSWORD 'scimgate_bench';
  END IF;
END $$;
SQL
  chmod 644 "$sql"
  su postgres -c "psql -q -f $sql" >/dev/null
  rm -f "$sql"
  su postgres -c "createdb -O scimgate_bench scimgate_bench"
  echo "== webhook load on the external PostgreSQL $version (port $ext_port)"
  EXTERNAL_ENV=(SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$ext_port/scimgate_bench"
                SPRING_DATASOURCE_USERNAME=scimgate_bench SPRING_DATASOURCE_PASSWORD=scimgate_bench)
  PSQL_URL="postgresql://scimgate_bench:scimgate_bench@127.0.0.1:$ext_port/scimgate_bench"
  webhook "${EXTERNAL_ENV[@]}"
  PSQL_URL="" # the modes after this one query the embedded database again
  [ -n "$started_here" ] && pg_ctlcluster "$version" main stop || true
}

startup() {
  need bc bc
  echo "== start-up on an existing data directory, through bin/scimgate (JDK 17)"
  # The first run creates the data directory and lists the classes it loads; the second dumps the
  # launcher's class-data archive from that list in the background (JDK 17), waited for here.
  for first in 1 2; do
    start_app SCIMGATE_RELAY_ENABLED=false
    echo "  start $first without an archive yet: ${STARTUP_SECONDS}s" | tee -a "$OUT/summary.txt"
    stop_app
  done
  while ls -d "$DATA"/jvm/*/.dumping >/dev/null 2>&1; do sleep 1; done
  local starts=()
  for i in 1 2 3; do
    start_app SCIMGATE_RELAY_ENABLED=false
    starts+=("$STARTUP_SECONDS")
    echo "  JDK 17, bin/scimgate (CDS archive), start $i: ${STARTUP_SECONDS}s to a healthy /actuator/health" | tee -a "$OUT/summary.txt"
    stop_app
  done
  echo "SCIM_START=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)" >> "$OUT/targets.env"
  for i in 1 2 3; do
    APP_CMD="java -jar target/scimgate.jar" start_app SCIMGATE_RELAY_ENABLED=false
    echo "  JDK 17, java -jar (no launcher), start $i: ${STARTUP_SECONDS}s" | tee -a "$OUT/summary.txt"
    stop_app
  done
  # The production image's path: JDK 25, the jar extracted, an AOT cache from a training run
  # (JEP 483/514/515), as the Dockerfile builds it. Measured here when a JDK 25 is installed.
  local jdk25=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)
  if [ -n "$jdk25" ]; then
    local app="$DATA/extracted"
    rm -rf "$app"
    "$jdk25/bin/java" -Djarmode=tools -jar target/scimgate.jar extract --destination "$app" >/dev/null
    # Training run: start, judge a few requests, stop with SIGTERM; the JVM writes the cache as it
    # exits. (-Dspring.context.exit=onRefresh would halt the JVM without closing the context, and
    # leave the embedded PostgreSQL running.)
    APP_CMD="$jdk25/bin/java -XX:AOTCacheOutput=$app/scimgate.aot -jar $app/scimgate.jar" start_app SCIMGATE_RELAY_ENABLED=false
    BENCH_RUN="training-$(date +%s%N)" SCIMGATE_WEBHOOK_TOKEN=$TOKEN \
      wrk -t1 -c4 -d5s -s bench/webhook.lua "http://127.0.0.1:$PORT" >/dev/null 2>&1 || true
    stop_app
    [ -f "$app/scimgate.aot" ] || { echo "  the training run wrote no AOT cache; see $OUT/service.log"; return 0; }
    for i in 1 2 3; do
      APP_CMD="$jdk25/bin/java -XX:AOTCache=$app/scimgate.aot -jar $app/scimgate.jar" start_app SCIMGATE_RELAY_ENABLED=false
      echo "  JDK 25, extracted jar + AOT cache, start $i: ${STARTUP_SECONDS}s" | tee -a "$OUT/summary.txt"
      stop_app
    done
  fi
  # The bare Spring Boot floor beside it, when the reference app is next to this repository.
  local floor_src="$ANCHORS/spring-floor"
  if [ -d "$floor_src" ] && command -v mvn >/dev/null 2>&1; then
    local floor="$DATA/spring-floor"
    [ -d "$floor" ] || cp -r "$floor_src" "$floor"
    (cd "$floor" && mvn -q -B -o package -DskipTests >/dev/null 2>&1 || mvn -q -B package -DskipTests >/dev/null)
    local floors=()
    for i in 1 2 3; do
      local start=$(date +%s.%N)
      java -jar "$floor/target/floor.jar" --server.port=$PORT >>"$OUT/floor.log" 2>&1 &
      APP_PID=$!
      until curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"data":{}}' \
          "http://127.0.0.1:$PORT/mvc" 2>/dev/null; do sleep 0.01; done
      local took=$(echo "$(date +%s.%N) - $start" | bc)
      floors+=("$took")
      echo "  bare Spring Boot (spring-floor), JDK 17, start $i: ${took}s" | tee -a "$OUT/summary.txt"
      stop_app
    done
    echo "FLOOR_START=$(printf '%s\n' "${floors[@]}" | sort -n | sed -n 2p)" >> "$OUT/targets.env"
  fi
}

relay() {
  need psql postgresql-client
  need python3 python3
  need bc bc
  echo "== relay drain: $RELAY_RECORDS outbox rows to an HTTP SIEM on loopback"
  start_app SCIMGATE_RELAY_ENABLED=false
  psql_q "INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, user_name, outcome,
            http_status, violations, fired_rules, ruleset_version, response_body)
          SELECT gen_random_uuid(), now(), 'webhook', 'user.created', 'bench:' || g || ':' || gen_random_uuid(),
                 'bench' || g || '@acme.com', 'ACCEPTED', 200, '[]', '[]', 'bench', '{}'
          FROM generate_series(1, $RELAY_RECORDS) g;
          INSERT INTO siem_outbox (decision_id) SELECT decision_id FROM decision_audit a
          WHERE NOT EXISTS (SELECT 1 FROM siem_outbox o WHERE o.decision_id = a.decision_id);" >/dev/null
  local backlog=$(psql_q "SELECT count(*) FROM siem_outbox WHERE status = 'PENDING'")
  stop_app
  python3 bench/siem_receiver.py "$SIEM_PORT" & SIEM_PID=$!
  sleep 0.5
  start_app SIEM_ENDPOINT="http://127.0.0.1:$SIEM_PORT/ingest" SIEM_FORMAT=json \
      SCIMGATE_SIEM_BATCH_SIZE=${RELAY_BATCH:-1000} SCIMGATE_SIEM_POLL_INTERVAL=100ms
  local start=$(date +%s.%N)
  while [ "$(psql_q "SELECT count(*) FROM siem_outbox WHERE status = 'PENDING'")" != "0" ]; do sleep 0.5; done
  local seconds=$(echo "$(date +%s.%N) - $start" | bc)
  local received=$(curl -s "http://127.0.0.1:$SIEM_PORT/count")
  echo "  $backlog records drained in ${seconds}s: $(echo "$backlog / $seconds" | bc) records/s; receiver: $received" \
    | tee -a "$OUT/summary.txt"
  stop_app
  kill "$SIEM_PID"; SIEM_PID=""
}

# Policy impact: REPLAY_DECISIONS judged decisions (three in four accepted, one in four refused for
# a department the candidate adds to the approved list) replayed by the API inside the running
# service (the report's durationMs: cursor, parsing and evaluation) and by the command line with
# the service stopped (wall time of the whole java -jar, JVM start and embedded PostgreSQL included).
replay() {
  need psql postgresql-client
  need bc bc
  need python3 python3
  need /usr/bin/time time
  echo "== replay: $REPLAY_DECISIONS decisions (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  start_app SCIMGATE_RELAY_ENABLED=false
  psql_q "INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, user_name, outcome,
            http_status, violations, fired_rules, ruleset_version, payload, response_body)
          SELECT gen_random_uuid(), now() - (g || ' seconds')::interval, 'webhook', 'user.created',
                 'bench-replay:' || g || ':' || gen_random_uuid(), 'bench' || g || '@acme.com',
                 CASE WHEN g % 4 = 0 THEN 'REJECTED' ELSE 'ACCEPTED' END, CASE WHEN g % 4 = 0 THEN 400 ELSE 200 END,
                 CASE WHEN g % 4 = 0 THEN '[{\"code\":\"POLICY_DEPARTMENT_DENIED\",\"field\":\"department\"}]'::jsonb
                      ELSE '[]'::jsonb END, '[]', 'bench',
                 jsonb_build_object('eventType', 'user.created', 'eventTimestamp', now()::text, 'data',
                   jsonb_build_object('userName', 'bench' || g || '@acme.com', 'displayName', 'Bench ' || g,
                     'emails', jsonb_build_array(jsonb_build_object('value', 'bench' || g || '@acme.com', 'primary', true)),
                     'department', CASE WHEN g % 4 = 0 THEN 'Research' ELSE 'Engineering' END, 'costCenter', 'CC-1234')),
                 '{}'
          FROM generate_series(1, $REPLAY_DECISIONS) g;" >/dev/null
  local candidate=$(mktemp -d /tmp/scimgate-bench-candidate-XXXXXX)
  cp -r rules/. "$candidate"
  sed -i 's/^    - Finance$/    - Finance\n    - Research/' "$candidate/reference-data.yaml"
  python3 -c 'import json,sys; print(json.dumps({"since":"30d","files":{"reference-data.yaml":open(sys.argv[1]).read()}}))' \
    "$candidate/reference-data.yaml" > "$OUT/impact-request.json"
  for run in 1 2 3; do
    local cpu_before=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat")
    curl -s -H "Authorization: Bearer bench-operator-key" -H "Content-Type: application/json" \
      --data-binary @"$OUT/impact-request.json" "http://127.0.0.1:$PORT/api/v1/policy/impact" > "$OUT/impact-$run.json"
    local cpu_ticks=$(( $(awk '{print $14 + $15}' "/proc/$APP_PID/stat") - cpu_before ))
    python3 - "$OUT/impact-$run.json" "$run" "$cpu_ticks" "$(getconf CLK_TCK)" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys
r = json.load(open(sys.argv[1]))
cpu = int(sys.argv[3]) / int(sys.argv[4])
print(f"  API run {sys.argv[2]}: {r['evaluated']} evaluated, {r['changed']} changed in {r['durationMs']} ms "
      f"= {r['evaluated'] * 1000 // max(r['durationMs'], 1)} decisions/s inside the service; "
      f"replay threads' CPU {r['cpuMs']} ms = {r['evaluated'] * 1000 // max(r['cpuMs'], 1)} decisions per CPU-second; "
      f"service CPU for the whole request (candidate compile and examples included) {cpu:.1f} s")
PY
  done
  stop_app
  for run in 1 2 3; do
    SCIMGATE_DATA_DIR="$DATA" /usr/bin/time -f "%e %U %S" -o "$OUT/replay-cli-$run.time" \
      java -jar target/scimgate.jar rules replay --rules "$candidate" --format json \
      > "$OUT/replay-cli-$run.json" 2>>"$OUT/replay-cli.err"
    read -r seconds user sys < "$OUT/replay-cli-$run.time"
    local evaluated=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["evaluated"])' "$OUT/replay-cli-$run.json")
    local replay_ms=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["durationMs"], "ms wall,", r["cpuMs"], "ms CPU")' "$OUT/replay-cli-$run.json")
    echo "  CLI run $run: $evaluated decisions in ${seconds}s wall (java -jar to exit, embedded PostgreSQL started by the command) = $(echo "$evaluated / $seconds" | bc) decisions/s; replay part ${replay_ms}; JVM CPU ${user}s user + ${sys}s sys" \
      | tee -a "$OUT/summary.txt"
  done
  rm -rf "$candidate"
}

# The console with CONSOLE_DECISIONS decisions in the audit: seeded by SQL as the schema owner
# (spread over the last 30 days, one in four refused), sealed and folded into the tallies as the
# running service does it, the outbox delivered but for a few pending and DEAD records; then each
# page is requested with a signed-in session, one warm-up and 5 measured requests, and the median
# server time (curl's time_starttransfer: until the first byte of the answer) is reported.
console() {
  need psql postgresql-client
  need python3 python3
  PORT=${BENCH_CONSOLE_PORT:-18192}
  PG_PORT=${BENCH_CONSOLE_PG_PORT:-25492}
  echo "== console pages with $CONSOLE_DECISIONS decisions (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  start_app SCIMGATE_RELAY_ENABLED=false
  local seeded=0 chunk=100000
  while [ "$seeded" -lt "$CONSOLE_DECISIONS" ]; do
    local n=$(( CONSOLE_DECISIONS - seeded < chunk ? CONSOLE_DECISIONS - seeded : chunk ))
    psql_q "INSERT INTO decision_audit (decision_id, received_at, source, event_type, idempotency_key, user_name, outcome,
              http_status, violations, fired_rules, ruleset_version, payload, response_body)
            SELECT gen_random_uuid(), now() - ((g * 2592000.0 / $CONSOLE_DECISIONS) || ' seconds')::interval,
                   'webhook', 'user.created', 'bench-console:' || g, 'bench' || (g % 50000) || '@acme.com',
                   CASE WHEN g % 4 = 0 THEN 'REJECTED' WHEN g % 10 = 1 THEN 'ACCEPTED_WITH_WARNINGS' ELSE 'ACCEPTED' END,
                   CASE WHEN g % 4 = 0 THEN 400 ELSE 200 END,
                   CASE WHEN g % 4 = 0 THEN '[{\"code\":\"POLICY_DEPARTMENT_DENIED\",\"field\":\"department\",\"mode\":\"enforce\"}]'::jsonb
                        ELSE '[]'::jsonb END,
                   CASE WHEN g % 4 = 0 THEN '[{\"rule\":\"Department must be on the approved list\",\"code\":\"POLICY_DEPARTMENT_DENIED\"}]'::jsonb
                        ELSE '[]'::jsonb END,
                   'bench',
                   jsonb_build_object('userName', 'bench' || (g % 50000) || '@acme.com', 'department',
                     CASE WHEN g % 4 = 0 THEN 'Research' ELSE 'Engineering' END, 'costCenter', 'CC-1234'),
                   '{}'
            FROM generate_series($seeded + 1, $seeded + $n) g" >/dev/null
    seeded=$(( seeded + n ))
  done
  # A delivered outbox, as a healthy relay leaves it, with a few records still pending and DEAD.
  psql_q "UPDATE siem_outbox SET status = 'DELIVERED', delivered_at = now(), attempts = 1;
          UPDATE siem_outbox SET status = 'PENDING' WHERE decision_id IN (SELECT decision_id FROM siem_outbox LIMIT 50);
          UPDATE siem_outbox SET status = 'DEAD', last_error = 'HTTP 400: bench' WHERE decision_id IN
            (SELECT decision_id FROM siem_outbox WHERE status = 'DELIVERED' LIMIT 20)" >/dev/null
  local start=$(date +%s)
  until [ "$(psql_q "SELECT (SELECT count(*) FROM audit_unsealed) = 0
                     AND (SELECT folded_to FROM tally_folded) = (SELECT coalesce(max(position), 0) FROM audit_chain)")" = "t" ]; do
    sleep 2
  done
  echo "  sealed and folded by the service in $(( $(date +%s) - start ))s" | tee -a "$OUT/summary.txt"
  # One statement a call: psql -c sends them as one transaction, and VACUUM refuses to run in one.
  for table in decision_audit audit_chain siem_outbox decision_tally; do psql_q "VACUUM ANALYZE $table" >/dev/null; done
  local jar="$OUT/console-cookies.txt" base="http://127.0.0.1:$PORT"
  local csrf=$(curl -s -c "$jar" -b "$jar" "$base/" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "key=bench-operator-key" --data-urlencode "_csrf=$csrf" "$base/login"
  local decision=$(psql_q "SELECT decision_id FROM decision_audit WHERE outcome = 'REJECTED' ORDER BY seq DESC LIMIT 1 OFFSET 1000")
  local cursor=$(psql_q "SELECT seq FROM decision_audit ORDER BY seq DESC LIMIT 1 OFFSET 500000")
  for page in /console /console/decisions "/console/decisions?cursor=$cursor" /console/decisions?outcome=REJECTED \
              /console/decisions?code=POLICY_DEPARTMENT_DENIED /console/decisions?user=bench4242%40acme.com \
              "/console/decisions?from=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M)&to=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M)" \
              "/console/decisions?from=$(date -u -d '-29 days' +%Y-%m-%dT%H:%M)&to=$(date -u -d '-28 days' +%Y-%m-%dT%H:%M)" \
              "/console/decisions/$decision" /console/policy /console/impact /console/outbox; do
    local status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base$page")
    [ "$status" = "200" ] || { echo "  $page answered $status, not 200 (signed in?)" | tee -a "$OUT/summary.txt"; continue; }
    for _ in 1 2 3 4 5; do
      curl -s -o /dev/null -w '%{time_starttransfer}\n' -b "$jar" "$base$page"
    done > "$OUT/console-times.txt"
    python3 - "$OUT/console-times.txt" "$page" <<'PY' | tee -a "$OUT/summary.txt"
import statistics, sys
times = [float(t) * 1000 for t in open(sys.argv[1]) if t.strip()]
median = statistics.median(times)
print(f"  {sys.argv[2]}: median {median:.0f} ms of 5 (min {min(times):.0f}, max {max(times):.0f}) {'ok' if median <= 200 else 'OVER 200 ms'}")
PY
  done
  stop_app
}

jmh() {
  echo "== rule evaluation (JMH)"
  ./mvnw -q -B -ntp -Pbench -DskipTests test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
  # JMH_OPTS: extra JMH options, e.g. "-wi 2 -i 3" for a shorter run.
  # shellcheck disable=SC2086
  java -cp "target/test-classes:target/classes:$(cat target/bench.cp)" org.openjdk.jmh.Main ${JMH_OPTS:-} \
      -rf json -rff "$OUT/jmh.json" RuleEvaluationBenchmark | tee "$OUT/jmh.txt" | grep -E '^Benchmark|avgt|p0.99' \
      | tee -a "$OUT/summary.txt"
  python3 - "$OUT/jmh.json" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys
avg = {(r["benchmark"].rsplit(".", 1)[1], r["params"]["rules"]): r["primaryMetric"]["score"]
       for r in json.load(open(sys.argv[1])) if r["mode"] == "avgt"}
worst = 0
for (name, rules), score in sorted(avg.items()):
    if name.startswith("request"):
        engine = avg[("engine" + name[len("request"):], rules)]
        worst = max(worst, score / engine)
        print(f"  {name} ({rules}): {score:.2f} us, engine alone {engine:.2f} us: {score / engine:.2f} x")
with open(sys.argv[1].replace("jmh.json", "targets.env"), "a") as env:
    env.write(f"JMH_RATIO={worst:.2f}\n")
PY
}

# One table: each target of bench/RESULTS.md beside what this run measured.
targets_table() {
  [ -f "$OUT/targets.env" ] || return 0
  # shellcheck disable=SC1091
  . "$OUT/targets.env"
  python3 - <<PY | tee -a "$OUT/summary.txt"
def ratio(a, b):
    return a / b if a and b else float("nan")
rows = [
    ("webhook requests/s / seed's, same run", ratio(${SCIM_RPS:-0}, ${SEED_RPS:-0}), ">= 1.0", lambda r: r >= 1.0),
    ("webhook p99 at ${CONNECTIONS} connections (ms)", ${SCIM_P99:-0} or float("nan"), "<= 25", lambda v: v <= 25),
    ("RSS after the load (MB)", ${RSS_MB:-0} or float("nan"), "<= 512", lambda v: v <= 512),
    ("time to healthy / bare Spring Boot's (JDK 17)", ratio(${SCIM_START:-0}, ${FLOOR_START:-0}), "<= 2.0", lambda r: r <= 2.0),
    ("request path / engine alone (JMH, worst case)", ${JMH_RATIO:-0} or float("nan"), "<= 2.0", lambda r: r <= 2.0),
]
print("| target | goal | measured | met |")
print("|---|---|---|---|")
for name, value, goal, ok in rows:
    print(f"| {name} | {goal} | {value:.2f} | {'yes' if value == value and ok(value) else 'no'} |")
PY
}

jar
case "$WHAT" in
  targets) webhook; anchors; startup; jmh; targets_table ;;
  webhook) webhook; anchors; targets_table ;;
  webhook-external) webhook_external ;;
  startup) startup ;;
  relay) relay ;;
  jmh) jmh ;;
  replay) replay ;;
  warmup) warmup ;;
  console) console ;;
  all) webhook; anchors; warmup; webhook_external; startup; relay; jmh; replay ;;
  *) echo "usage: bench/run.sh [targets|all|webhook|webhook-external|warmup|startup|relay|jmh|replay|console]" >&2; exit 64 ;;
esac
echo "Raw output and summary: $OUT"
