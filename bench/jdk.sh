# Sourced by the bench scripts: JAVA_HOME (kept if it has a javac, else the newest Temurin 25+ or JDK 21+ under
# /usr/lib/jvm), exported, and $java.
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/javac" ]; then
  JAVA_HOME=$(ls -d /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[1-9]* 2>/dev/null | head -1)
fi
export JAVA_HOME
java="$JAVA_HOME/bin/java"
