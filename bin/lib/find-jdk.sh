# Sourced by bin/swarmshare and bin/test. Sets JAVA_HOME to a JDK 21+ and puts it first on PATH.
# Order: JAVA_HOME if it is 21+, then `java` on PATH if 21+, then the newest JDK under /usr/lib/jvm.

swarmshare_java_major() {
  # Prints the feature version of the java binary $1 (for example 17, 21, 25), or nothing.
  # Reads the JDK's `release` file, in bash alone, when there is one: every process started
  # here is paid on every command, and starting a JVM to ask costs a tenth of a second.
  local home=${1%/bin/java} line v
  if [ -f "$home/release" ]; then
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*)
          v=${line#JAVA_VERSION=\"}
          v=${v%%[!0-9]*}
          if [ "$v" = "1" ]; then v=8; fi
          if [ -n "$v" ]; then echo "$v"; return; fi
          ;;
      esac
    done < "$home/release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

swarmshare_is_jdk21() {
  # $1: a JDK home. True when it has java and javac and is version 21 or newer.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local major
  major=$(swarmshare_java_major "$1/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

swarmshare_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && swarmshare_is_jdk21 "$JAVA_HOME"; then
    return 0
  fi
  local java_on_path
  java_on_path=$(command -v java 2>/dev/null || true)
  if [ -n "$java_on_path" ]; then
    local home
    home=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
    if swarmshare_is_jdk21 "$home"; then
      JAVA_HOME=$home
      return 0
    fi
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [ -L "$candidate" ] && continue
    swarmshare_is_jdk21 "$candidate" || continue
    major=$(swarmshare_java_major "$candidate/bin/java")
    if [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    JAVA_HOME=$best
    return 0
  fi
  echo "swarmshare: no JDK 21 or newer found (checked JAVA_HOME, java on PATH, /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, or set JAVA_HOME to it." >&2
  return 1
}

swarmshare_find_jdk || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

# JVM options for a tracker process: generational Shenandoah (a product feature from JDK 25),
# whose collections run beside the application. With G1 every young collection stops the
# tracker for ~25 ms once it holds thousands of connections (their virtual threads' stacks are
# heap objects the collection copies), which set the tail of every request (docs/PERFORMANCE.md,
# "Tracker benchmark"). Older JDKs keep their default collector.
swarmshare_tracker_jvm_opts() {
  local major
  major=$(swarmshare_java_major "$JAVA_HOME/bin/java")
  if [ -n "$major" ] && [ "$major" -ge 25 ]; then
    echo "-XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational"
  fi
}
