# What bench/run.sh and bench/soak.sh share (sourced, not run): the container image's JVM options, wrk, the jar.

# The JVM options the container image ships (docker/Dockerfile.jvm), less its AOT cache path.
image_java_opts() {
  sed -n 's/^ENV JDK_JAVA_OPTIONS="\(.*\)"/\1/p' docker/Dockerfile.jvm | sed 's/ -XX:AOTCache=[^ ]*//'
}

# wrk, installed from Debian's packages when missing.
need_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
}

# The jar of the current sources (a stale jar would be measured otherwise); SKIP_BUILD=1 takes the one in APP_DIR.
build_unless_skipped() {
  [[ "${SKIP_BUILD:-0}" == 1 && -f "${APP_DIR:-target/quarkus-app}/quarkus-run.jar" ]] || ./mvnw -B -q package -DskipTests
}
