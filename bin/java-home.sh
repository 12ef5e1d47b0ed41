# Sourced by Roam's scripts: points JAVA_HOME at a JDK 21 or newer.
# Keeps a JAVA_HOME (or a java on PATH) that is new enough; otherwise takes the newest JDK found under
# /usr/lib/jvm or /opt/java. Fails with a clear message when there is none.

java_feature_version() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

roam_select_java_home() {
    local candidate version
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        version=$(java_feature_version "$JAVA_HOME/bin/java")
        if [ "${version:-0}" -ge 21 ]; then return 0; fi
    fi
    if command -v java >/dev/null 2>&1; then
        candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
        version=$(java_feature_version "$candidate/bin/java")
        if [ "${version:-0}" -ge 21 ] && [ -x "$candidate/bin/javac" ]; then export JAVA_HOME="$candidate"; return 0; fi
    fi
    for candidate in $(ls -d /usr/lib/jvm/*/ /opt/java/*/ 2>/dev/null | sort -rV); do
        candidate=${candidate%/}
        [ -x "$candidate/bin/javac" ] || continue
        version=$(java_feature_version "$candidate/bin/java")
        if [ "${version:-0}" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
    done
    echo "Roam needs a JDK 21 or newer: set JAVA_HOME to one (found none under /usr/lib/jvm or /opt/java)." >&2
    return 1
}

roam_select_java_home
