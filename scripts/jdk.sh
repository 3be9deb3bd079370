# Sourced by ./tttv2 and ./test: finds a JDK >= 25 and exports JAVA_HOME to it.
# Order: JAVA_HOME if it is >= 25, then the usual install locations (TTTV2_JDK_DIRS overrides them).

tttv2_java_major() { # prints the feature version of the JDK in directory $1, or nothing
  # its release file (every JDK since 9 has one) says it without starting a JVM, which took ≈ 60 ms of every
  # command's start; a JDK without one is asked
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
  fi
}

tttv2_find_jdk() {
  local candidate major
  local dirs="${TTTV2_JDK_DIRS:-/usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/*}"
  # shellcheck disable=SC2086 # the globs expand here
  for candidate in "${JAVA_HOME:-}" $dirs; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(tttv2_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "tttv2: no JDK 25 or newer found (looked at JAVA_HOME and ${TTTV2_JDK_DIRS:-/usr/lib/jvm/*}); install one, e.g. Temurin 25, or set JAVA_HOME" >&2
  return 1
}
