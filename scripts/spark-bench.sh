#!/usr/bin/env bash
# Rows/s of greedy generation on Spark in local mode at 1, 2 and 4 partitions (README, "Scale-out on Spark").
# Builds the distribution and integration/spark, then runs Tttv2SparkBench with Spark's jars from the build;
# arguments go to it (--rows N, --max-tokens N, --partitions 1,2,4, --master local[4], --model DIR, --rounds N).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
tttv2_find_jdk || exit 1
(cd "$root" && mvn -B -q -o -DskipTests package -pl integration/spark -am >/dev/null)
module="$root/integration/spark"
jar="$(ls "$module"/target/io.tttv2.integration.spark-*-spark-job.jar)"
# the flags Spark's own launcher adds on Java 17+, and the host's (Vector API, native access)
flags="$(sed -n 's:.*<spark.jvm.args>\(-.*\)</spark.jvm.args>.*:\1:p' "$module/pom.xml" | head -n 1)"
exec "$JAVA_HOME/bin/java" $flags --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -Xmx2g -Dlog4j2.level=warn \
  -cp "$jar:$(cat "$module/target/spark-classpath.txt")" io.tttv2.integration.spark.Tttv2SparkBench \
  --home "$root/launcher/distribution/target/tttv2" "$@"
