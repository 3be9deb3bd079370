#!/usr/bin/env bash
# update-api-baseline.sh: a release step. Builds the API bundles as they are now and makes them the baseline
# (cnf/baseline/) that every later build checks package versions against (core-api's ApiBaselineTest, the
# kit's KitBaselineTest). Run it on the commit being released, then commit cnf/baseline/ with the release.
# Usage: scripts/update-api-baseline.sh [extra Maven arguments, e.g. -o]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
tttv2_find_jdk || exit 1
cd "$root"
# the baseline tests compare the bundles with the baseline being replaced: skip them for this build only
mvn -B -q package -pl core-api,models/kit -am -DskipTests "$@"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
for module in core-api:io.tttv2.core.api models/kit:io.tttv2.models.kit; do
  dir="${module%%:*}" bsn="${module##*:}"
  cp "$dir/target/$bsn-$version.jar" "cnf/baseline/$bsn.jar"
  echo "cnf/baseline/$bsn.jar <- $dir/target/$bsn-$version.jar"
done
echo "baseline updated from $(git rev-parse --short HEAD); commit cnf/baseline/"
