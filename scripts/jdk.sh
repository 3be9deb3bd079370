# Sourced by ./tttv2 and ./test: finds a JDK >= 25 and exports JAVA_HOME to it.
# Order: JAVA_HOME if it is >= 25, then the usual install locations (TTTV2_JDK_DIRS overrides them).

tttv2_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

tttv2_find_jdk() {
  local candidate major
  local dirs="${TTTV2_JDK_DIRS:-/usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/*}"
  # shellcheck disable=SC2086 # the globs expand here
  for candidate in "${JAVA_HOME:-}" $dirs; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(tttv2_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "tttv2: no JDK 25 or newer found (looked at JAVA_HOME and ${TTTV2_JDK_DIRS:-/usr/lib/jvm/*}); install one, e.g. Temurin 25, or set JAVA_HOME" >&2
  return 1
}
