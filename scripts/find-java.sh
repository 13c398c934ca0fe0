# Sourced by ./paddock, ./run-tests and .ci/run: sets PADDOCK_JAVA_HOME to a JDK 25 or newer.
# Order: JAVA_HOME if it is one, else the newest JDK under /usr/lib/jvm (PADDOCK_JDK_DIRS: other folders,
# space-separated), else a clear message.

paddock_java_major() {
  # Prints the major version of the JDK at $1 (empty if it is not a JDK). Reads the JDK's release
  # file when it has one, which is much faster than starting a JVM.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local v
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
    if [ -n "$v" ]; then
      echo "$v"
      return 0
    fi
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

paddock_find_java() {
  local want=25 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(paddock_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      PADDOCK_JAVA_HOME="$JAVA_HOME"
      return 0
    fi
  fi
  local dirs="${PADDOCK_JDK_DIRS:-/usr/lib/jvm}" d
  for candidate in $(for d in $dirs; do echo "$d"/*; done); do
    [ -d "$candidate" ] || continue
    major=$(paddock_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    PADDOCK_JAVA_HOME="$best"
    return 0
  fi
  echo "paddock: needs a JDK $want or newer, and found none (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in $dirs)." >&2
  echo "paddock: install one, e.g. 'apt install temurin-25-jdk' (Adoptium's repository) or from https://adoptium.net, then set JAVA_HOME to it." >&2
  return 1
}
