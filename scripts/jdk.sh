# Finds a JDK of 21 or newer: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
# Sourced by ./webinfra, ./test and the bench scripts; prints the JDK's home on stdout.
webinfra_jdk_major() {
  local home="$1" v
  [ -x "$home/bin/javac" ] || return 1
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  [ -n "$v" ] || return 1
  echo "$v"
}

webinfra_find_jdk() {
  local home major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && major=$(webinfra_jdk_major "$JAVA_HOME") && [ "$major" -ge 21 ]; then
    echo "$JAVA_HOME"
    return 0
  fi
  for home in /usr/lib/jvm/*; do
    [ -L "$home" ] && continue
    major=$(webinfra_jdk_major "$home") || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$home"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "webinfra: no JDK of version 21 or newer found (looked at JAVA_HOME=${JAVA_HOME:-unset} and /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
    return 1
  fi
  echo "$best"
}
