# Sourced, not run, by the benchmarks that drive the packaged service over HTTP (bench/predict,
# bench/soak), from the repository's root. The service starts on $PORT (8089) with the data directory
# $CNN_DATA_DIR (./bench-data), bin/run's JVM sizing (bin/jvm-memory.sh), then the caller's JAVA_OPTS.
. bin/jvm-memory.sh
data=${CNN_DATA_DIR:-$PWD/bench-data}
port=${PORT:-8089}
jar=target/cnn-ensemble-service.jar
pid=

need_wrk() {
  command -v wrk >/dev/null && return 0
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -q wrk >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -q wrk >/dev/null; }
}

start_service() { # [spring options...]: starts the jar on $port with $data, and waits until it is ready
  java "${jvm_memory[@]}" ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" --cnn.data-dir="$data" "$@" >"$data/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "localhost:$port/actuator/health/readiness" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "the service did not become ready; see $data/service.log" >&2
  exit 1
}
service_cpu_ticks() { # the service's user and system CPU time so far, in clock ticks (getconf CLK_TCK)
  awk '{print $14 + $15}' "/proc/$pid/stat"
}
stop_service() { kill "$pid"; wait "$pid" || true; pid=; }
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT

train() { # name members -> job id; a cnn of that name, trained once per data directory on a slice of MNIST
  local id
  id=$(grep -s "^$1 " "$data/bench-models" | cut -d' ' -f2 || true)
  if [ -z "$id" ]; then
    # The admin key that the service generated into its data directory on its first start.
    id=$(curl -fs -X POST "localhost:$port/jobs" -H "Authorization: Bearer $(cat "$data/api-key")" -H 'Content-Type: application/json' \
      -d "{\"name\": \"$1\", \"ensembleSize\": $2, \"epochs\": 1, \"trainLimit\": 2000, \"testLimit\": 1000}" \
      | sed -E 's/.*"id":"([^"]+)".*/\1/')
    until curl -fs "localhost:$port/jobs/$id" | grep -q '"state":"SUCCEEDED"'; do
      if curl -fs "localhost:$port/jobs/$id" | grep -q '"state":"FAILED"'; then echo "training $1 failed" >&2; exit 1; fi
      sleep 2
    done
    echo "$1 $id" >>"$data/bench-models"
  fi
  echo "$id"
}

warm_up() { # model [png|json]: WARMUP_SECONDS (120) of /predict at 32 connections, printing requests/s every 10 s.
  # On two cores the JIT needs about 100 s of this load: PNG requests/s climbed eightfold, then held.
  local left=${WARMUP_SECONDS:-120} rates=
  while [ "$left" -gt 0 ]; do
    rates="$rates $(predict_wrk 32 $(( left < 10 ? left : 10 )) "$1" "${2:-png}" | awk '$1 == "RESULT" {printf "%.0f", $3}')"
    left=$(( left - 10 ))
  done
  echo "warm-up, requests/s every 10 s:$rates" >&2
}

digit_files() { # the first 100 MNIST test digits as $data/digits/digit-N.png and .json, for bench/predict.lua
  java bench/DigitFiles.java "$data/datasets/mnist/t10k-images-idx3-ubyte" 100 "$data/digits"
}

# connections seconds model [png|body|json|get path]: wrk's POST /predict, one digit per request (body: the
# PNG as the whole body), or a GET of path. Ends with the line RESULT requests requests/s p50-ms p99-ms errors
# cpu-ms, the last the service's CPU time (user and system, from /proc) per request during the run: the
# figure that other tenants' load on a shared machine sways least.
predict_wrk() {
  local threads=$(( $1 < 2 ? 1 : 2 )) format=${4:-png} path="/predict?model=$3" before output
  [ "$format" = get ] && path=$5
  before=$(service_cpu_ticks)
  output=$(DIGIT_DIR="$data/digits" FORMAT=$format API_KEY=$(cat "$data/api-key") wrk -t"$threads" -c"$1" -d"$2s" --timeout 30s \
    -s bench/predict.lua "http://localhost:$port" "$path")
  awk -v ticks=$(( $(service_cpu_ticks) - before )) -v hz="$(getconf CLK_TCK)" \
    '$1 == "RESULT" {printf "%s %.3f\n", $0, 1000 * ticks / hz / $2; next} {print}' <<<"$output"
}
