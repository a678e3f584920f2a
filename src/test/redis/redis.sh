#!/usr/bin/env bash
# Makes sure a Redis server binary is on this machine (Debian's redis-server package), for the integration tests that
# start their own Redis servers on 127.0.0.1 (testsupport/RedisServer: a server per test, on a free port, so that a
# test can stop it mid-way). Run by the build before the integration tests; does nothing when redis-server is there.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
sudo=
[[ $(id -u) -eq 0 ]] || sudo=sudo
echo "redis.sh: installing Debian's redis-server for the integration tests"
$sudo apt-get update -qq
# policy-rc.d: the package's own system service is not started (the tests start theirs; a container has no init).
# Only if the machine has none, and removed again.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
command -v redis-server >/dev/null
