#!/usr/bin/env bash
# The lab's artifact mirror. The lab's hosts cannot reach Apache's mirrors (nor can this machine), so this
# builds, from the registries this machine does reach and through their own clients, the files the stack
# downloads, in the layouts the product expects. What it builds (versions, paths, Maven coordinates) is the
# product's bill of materials with the lab's choices over it, as lab/bom.ts prints it:
#  - Maven Central artifacts (Trino, Hive standalone metastore, JDBC driver, Iceberg/Delta/Flink jars) with
#    `mvn dependency:get` into a local repository that has Central's own layout;
#  - Spark 3.5 from the `pyspark` package on PyPI (it carries jars/ and bin/spark-class), repackaged as
#    spark-<v>-bin-hadoop3.tgz;
#  - Flink 1.20 from `apache-flink-libraries` on PyPI (bin/, conf/, lib/, opt/, plugins/), repackaged as
#    flink-<v>-bin-scala_2.12.tgz;
#  - Hadoop: Central has no binary tarball, so a STAND-IN is assembled from the real Hadoop jars on Central
#    (hadoop-common, hadoop-hdfs, hadoop-hdfs-client and their runtime dependencies) with the real layout
#    (bin/, etc/hadoop/, share/hadoop/...) and a small launcher (lab/hadoop-standin/) that runs the real
#    classes for the sub-commands the project uses. It is named a stand-in everywhere; production uses the
#    Apache tarball.
# Output: $MIRROR/www (served on the lab bridge by lab.sh) and $MIRROR/www/artifacts.json (per artifact:
# version, path, sha512) that the lab stack config reads. Cached: a second run only checks, and when a
# stamp ($MIRROR/www/.complete, written after a complete build) still matches (this script and its helpers, the
# bill of materials, the JDK, every artifact file's size and mtime), it only says so and exits in about a second
# (most of it Node reading the bill of materials).
#
# Usage: bash lab/mirror.sh   (LAKEHOUSE_MIRROR_RECHECK=1 skips the stamp, e.g. to re-ask the Maven registry for
#                              artifacts that it lacked last time; LAKEHOUSE_LAB_JDK=<dir> names the JDK 25 to pack;
#                              LAKEHOUSE_LAB_TRINO=<version> the lab's Trino, see lab/bom.ts)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
MIRROR=${LAKEHOUSE_MIRROR:-/var/cache/lakehouse-mirror}
WWW="$MIRROR/www"
M2="$WWW/maven2"
# The versions, the mirror paths and the Maven coordinates: the product's releases with the lab's choices over them
# (lab/bom.ts; e.g. Trino: 435, the product's default, is not on this workplace's Maven registry, so the lab runs
# 476 on a Java 25 JDK archive, see "JDK" below), read from that one bill of materials.
bom=$(cd -- "$here/.." && node --import tsx lab/bom.ts)
declare -A VERSION=() MPATH=() COORD=()
ARTIFACT_NAMES=()
while read -r kind name version path coord; do
  [ "$kind" = artifact ] || continue
  ARTIFACT_NAMES+=("$name")
  VERSION[$name]=$version
  MPATH[$name]=$path
  COORD[$name]=$coord
done <<<"$bom"
read -r _ JDK_MAJOR _ <<<"$(grep '^jdk ' <<<"$bom" || true)"
if [ -z "$JDK_MAJOR" ] || [ "${#ARTIFACT_NAMES[@]}" -eq 0 ]; then
  printf 'lab/bom.ts printed no artifacts or no jdk line:\n%s\n' "$bom" >&2
  exit 1
fi
HADOOP_VERSION=${VERSION[hadoop]}
SPARK_VERSION=${VERSION[spark]}
FLINK_VERSION=${VERSION[flink]}
TRINO_VERSION=${VERSION[trino]}

log() { printf '[mirror %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
t0=$SECONDS
# A step that can take more than a few seconds: a start line, and an end line with its duration.
step_begin() { step_name="$*"; step_t0=$SECONDS; log "$step_name ..."; }
step_end() { log "$step_name: done in $((SECONDS - step_t0))s"; }

# --------------------------------------------------------------------------------------------- JDK (first)
# Decided before anything slow, because it decides whether the lab has Trino: a JDK archive in Adoptium's
# layout (one top-level jdk-<version> directory) for the services that need a newer Java than Debian 12
# packages (Trino >= 436). Source: the Temurin JDK installed on this machine (no JDK download site is reachable
# from here); it is packed at the end (see "JDK archive").
jdk_src=${LAKEHOUSE_LAB_JDK:-/usr/lib/jvm/temurin-$JDK_MAJOR-jdk-amd64}
JDK_VERSION=""
jdk_problem="has no release file (not a JDK directory, or absent)"
if [ -f "$jdk_src/release" ]; then
  jdk_found=$(sed -n 's/^JAVA_RUNTIME_VERSION="\([^"]*\)".*/\1/p' "$jdk_src/release" | sed 's/-LTS$//')
  if [[ "$jdk_found" == "$JDK_MAJOR".* ]]; then
    JDK_VERSION=$jdk_found
  else
    jdk_problem="is not a Java $JDK_MAJOR JDK (its release file says ${jdk_found:-no version})"
  fi
fi
jdk_path="jdk/OpenJDK${JDK_MAJOR}U-jdk_x64_linux_hotspot_${JDK_VERSION//+/_}.tar.gz"

# --------------------------------------------------------------------------------------------- fast path
# The stamp: line 1 the hash of this script and the files it builds from, line 2 the hash of the bill of materials
# (versions, paths, coordinates) with the JDK found above, then one line per artifact file:
# "file <bytes> <mtime> <path under www/>".
stamp="$WWW/.complete"
stamp_header() {
  printf 'script %s\n' "$(cat -- "$0" "$here/merge-jars.py" "$here"/hadoop-standin/* | sha256sum | cut -d' ' -f1)"
  printf 'bom %s jdk%s=%s@%s\n' "$(printf '%s\n' "$bom" | sha256sum | cut -d' ' -f1)" \
    "$JDK_MAJOR" "${JDK_VERSION:-none}" "$jdk_src"
}
mirror_up_to_date() { # succeeds when the stamp matches the script, the versions and every file it lists
  local kind bytes mtime path n=0
  [ -f "$stamp" ] && [ -f "$WWW/artifacts.json" ] || return 1
  [ "$(head -n 2 -- "$stamp")" = "$(stamp_header)" ] || return 1
  while read -r kind bytes mtime path; do
    [ "$kind" = file ] || continue
    [ "$(stat -c '%s %.9Y' -- "$WWW/$path" 2>/dev/null)" = "$bytes $mtime" ] || return 1
    n=$((n + 1))
  done <"$stamp"
  [ "$n" -gt 0 ]
}
if [ -z "${LAKEHOUSE_MIRROR_RECHECK:-}" ] && mirror_up_to_date; then
  jdk_note="Trino $TRINO_VERSION on JDK $JDK_VERSION"
  [ -n "$JDK_VERSION" ] || jdk_note="no JDK $JDK_MAJOR, so no Trino"
  log "mirror up to date ($(grep -c '"sha512"' "$WWW/artifacts.json") artifacts, $jdk_note," \
    "stamp of $(date -r "$stamp" '+%F %H:%M'); $WWW)"
  exit 0
fi

if [ -n "$JDK_VERSION" ]; then
  if [ -f "$WWW/$jdk_path" ]; then
    log "JDK: Trino $TRINO_VERSION will run on Java $JDK_VERSION from $jdk_src (already packed: $jdk_path)"
  else
    log "JDK: Trino $TRINO_VERSION will run on Java $JDK_VERSION, packed from $jdk_src at the end ($jdk_path)"
  fi
else
  log "JDK: no Java $JDK_MAJOR JDK, so Trino $TRINO_VERSION will be LEFT OUT of the lab"
  cat >&2 <<EOF
  $jdk_src $jdk_problem.
  Trino $TRINO_VERSION needs Java 24+, which Debian 12 does not package: the lab installs Java $JDK_MAJOR on its hosts
  from a JDK archive that this script packs from a JDK $JDK_MAJOR on this machine. Without one, artifacts.json has
  "jdk$JDK_MAJOR": null, and the lab stack runs every other service but no Trino (its tests say so). To include
  Trino, install a Temurin $JDK_MAJOR JDK at /usr/lib/jvm/temurin-$JDK_MAJOR-jdk-amd64, or name any JDK $JDK_MAJOR
  directory (the one holding its "release" file) and run again: LAKEHOUSE_LAB_JDK=<dir> bash lab/mirror.sh
EOF
fi

# --------------------------------------------------------------------------------------------- tools
rm -f -- "$stamp"
install -d -m 0755 "$WWW" "$M2" "$MIRROR/work"

if ! command -v mvn >/dev/null; then
  step_begin "installing maven"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
  step_end
fi
# pip, always as `python3 -m pip` (the interpreter that also runs zipfile and merge-jars.py below). Debian 12's
# pip refuses system-wide installs (PEP 668, EXTERNALLY-MANAGED), but that check guards `pip install` and
# `pip uninstall` only: `pip download`, the one command used here, works with it.
if ! { command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; }; then
  step_begin "installing python3-pip (for pip download)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
  python3 -m pip --version >/dev/null
  step_end
fi

# Pack $work/<dir> into <target> atomically and drop the work dir.
pack() { # work-dir dir-name target
  install -d "$(dirname "$3")"
  tar -C "$1" -czf "$3.part" "$2"
  mv "$3.part" "$3"
  rm -rf "$1"
}

mvn_get() { # group:artifact:version[:packaging[:classifier]]
  mvn -q -B -Dmaven.repo.local="$M2" dependency:get -Dtransitive=false -Dartifact="$1" >/dev/null
}

step_begin "Maven Central artifacts"
# Not every registry proxy carries every artifact (this workplace's lacks trino-server 435 and the Flink 1.20
# Hive connector): a missing one is reported and left out of artifacts.json, and the lab skips what needs it.
: >"$WWW/missing.txt"
for name in "${ARTIFACT_NAMES[@]}"; do
  a=${COORD[$name]}
  [ "$a" != - ] || continue
  if ! mvn_get "$a" 2>/dev/null; then
    log "not available from this Maven registry: $a"
    echo "$a" >>"$WWW/missing.txt"
  fi
done
step_end

# --------------------------------------------------------------------------------------------- Hadoop
hadoop_tgz="$WWW/${MPATH[hadoop]}"
# Built again when its launcher changed (a sub-command added): the hash of lab/hadoop-standin/ it was built from.
launcher_hash=$(cat -- "$here"/hadoop-standin/* | sha256sum | cut -d' ' -f1)
launcher_stamp="$MIRROR/work/hadoop-standin.sha256"
if [ ! -f "$hadoop_tgz" ] || [ "$(cat -- "$launcher_stamp" 2>/dev/null || true)" != "$launcher_hash" ]; then
  step_begin "Hadoop $HADOOP_VERSION stand-in from Central's jars"
  work="$MIRROR/work/hadoop"
  rm -rf "$work"; install -d "$work"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lakehouse.lab</groupId><artifactId>hadoop-standin</artifactId><version>1</version>
  <packaging>pom</packaging>
  <!-- Hadoop's own dependency versions (its build's BOM): without it, Maven's nearest-wins mediation picks
       older transitive jars (e.g. jackson-core) than the ones Hadoop was built and tested with. -->
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-project</artifactId><version>$HADOOP_VERSION</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-common</artifactId><version>$HADOOP_VERSION</version></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-hdfs</artifactId><version>$HADOOP_VERSION</version></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-hdfs-client</artifactId><version>$HADOOP_VERSION</version></dependency>
    <dependency><groupId>org.apache.hadoop</groupId><artifactId>hadoop-mapreduce-client-core</artifactId><version>$HADOOP_VERSION</version></dependency>
    <!-- The logging binding Hadoop's distribution ships in share/hadoop/common/lib (not a transitive dependency):
         without it the daemons log nothing at all, even why they exit. -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId></dependency>
  </dependencies>
</project>
EOF
  root="$work/hadoop-$HADOOP_VERSION"
  install -d "$root/bin" "$root/etc/hadoop" "$root/share/hadoop/common/lib" "$root/share/hadoop/hdfs/lib" "$root/share/hadoop/mapreduce"
  mvn -q -B -f "$work/pom.xml" -Dmaven.repo.local="$M2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$root/share/hadoop/common/lib" >/dev/null
  for j in hadoop-common hadoop-hdfs hadoop-hdfs-client; do
    mv "$root/share/hadoop/common/lib/$j-$HADOOP_VERSION.jar" "$root/share/hadoop/$([ "$j" = hadoop-common ] && echo common || echo hdfs)/"
  done
  mv "$root/share/hadoop/common/lib/hadoop-mapreduce-client-core-$HADOOP_VERSION.jar" "$root/share/hadoop/mapreduce/"
  # The NameNode/DataNode web UIs (and their /jmx): the distribution keeps them in share/hadoop/hdfs/webapps;
  # on Maven Central they ship inside the hadoop-hdfs tests jar.
  mvn_get "org.apache.hadoop:hadoop-hdfs:$HADOOP_VERSION:jar:tests"
  (cd "$root/share/hadoop/hdfs" && python3 -m zipfile -e "$M2/org/apache/hadoop/hadoop-hdfs/$HADOOP_VERSION/hadoop-hdfs-$HADOOP_VERSION-tests.jar" tests-jar \
    && mv tests-jar/webapps . && rm -rf tests-jar)
  install -m 0755 "$here/hadoop-standin/hadoop" "$root/bin/hadoop"
  install -m 0755 "$here/hadoop-standin/hdfs" "$root/bin/hdfs"
  install -m 0644 "$here/hadoop-standin/log4j.properties" "$root/etc/hadoop/log4j.properties"
  printf 'Lab stand-in for Apache Hadoop %s: the real jars from Maven Central, a small launcher.\nNot the Apache release: production installs the Apache tarball.\n' "$HADOOP_VERSION" >"$root/STAND-IN.txt"
  pack "$work" "hadoop-$HADOOP_VERSION" "$hadoop_tgz"
  printf '%s\n' "$launcher_hash" >"$launcher_stamp"
  step_end
fi

# --------------------------------------------------------------------------------------------- Spark
spark_tgz="$WWW/${MPATH[spark]}"
if [ ! -f "$spark_tgz" ]; then
  step_begin "Spark $SPARK_VERSION from the pyspark package"
  work="$MIRROR/work/spark"
  rm -rf "$work"; install -d "$work/dl"
  python3 -m pip download -q --no-deps --no-binary :all: "pyspark==$SPARK_VERSION" -d "$work/dl"
  tar -C "$work" -xzf "$work"/dl/pyspark-*.tar.gz
  src=$(find "$work" -maxdepth 1 -type d -name "pyspark-$SPARK_VERSION*" | head -n1)
  root="$work/spark-$SPARK_VERSION-bin-hadoop3"
  install -d "$root/conf"
  cp -r "$src/deps/jars" "$root/jars"
  cp -r "$src/deps/bin" "$root/bin"
  [ -d "$src/deps/sbin" ] && cp -r "$src/deps/sbin" "$root/sbin"
  chmod 0755 "$root"/bin/*
  echo "Spark $SPARK_VERSION (built for Hadoop 3), repackaged from PyPI pyspark for the lab" >"$root/RELEASE"
  pack "$work" "spark-$SPARK_VERSION-bin-hadoop3" "$spark_tgz"
  step_end
fi

# --------------------------------------------------------------------------------------------- Flink
flink_tgz="$WWW/${MPATH[flink]}"
# Bumped when the repackaged layout changes, so a cached tarball of an older layout is rebuilt.
flink_layout="$flink_tgz.lab-layout-2"
if [ ! -f "$flink_tgz" ] || [ ! -f "$flink_layout" ]; then
  step_begin "Flink $FLINK_VERSION from the apache-flink (bin/, conf/) and apache-flink-libraries (lib/, opt/, plugins/) packages"
  work="$MIRROR/work/flink"
  rm -rf "$work"; install -d "$work/dl" "$work/wheel"
  python3 -m pip download -q --no-deps --no-binary :all: "apache-flink-libraries==$FLINK_VERSION" -d "$work/dl"
  python3 -m pip download -q --no-deps --only-binary :all: "apache-flink==$FLINK_VERSION" -d "$work/dl"
  tar -C "$work" -xzf "$work"/dl/apache*flink*libraries-*.tar.gz
  python3 -m zipfile -e "$(ls "$work"/dl/apache_flink-*.whl)" "$work/wheel"
  src=$(find "$work" -maxdepth 1 -type d -name "apache*flink*libraries-*" | head -n1)
  root="$work/flink-$FLINK_VERSION"
  install -d "$root"
  cp -r "$src/deps/lib" "$src/deps/opt" "$src/deps/plugins" "$root/"
  cp -r "$work/wheel/pyflink/bin" "$work/wheel/pyflink/conf" "$root/"
  cp "$src/deps/bin/"*.jar "$root/bin/"
  # The distribution's opt/ also carries the SQL gateway, which bin/sql-client.sh puts on its classpath; the
  # PyPI packages do not: take the same module from Central.
  if ! ls "$root"/opt/flink-sql-gateway-*.jar >/dev/null 2>&1; then
    mvn_get "org.apache.flink:flink-sql-gateway:$FLINK_VERSION:jar"
    cp "$M2/org/apache/flink/flink-sql-gateway/$FLINK_VERSION/flink-sql-gateway-$FLINK_VERSION.jar" "$root/opt/"
  fi
  rm -f "$root"/bin/*.bat
  [ -f "$root/lib/flink-dist-$FLINK_VERSION.jar" ] || { log "no flink-dist jar in apache-flink-libraries $FLINK_VERSION"; exit 1; }
  chmod 0755 "$root"/bin/*.sh "$root/bin/flink"
  pack "$work" "flink-$FLINK_VERSION" "$flink_tgz"
  touch "$flink_layout"
  step_end
fi

# --------------------------------------------------------------------------------------------- Flink Hive
# flink-sql-connector-hive-3.1.3_2.12 (one bundled jar) is not on this registry for Flink 1.20. When it is
# missing, a STAND-IN with the same role is merged from the jars Flink's documentation lists for Hive 3.1
# (flink-connector-hive_2.12 of the newest 1.20 release served, hive-exec 3.1.3, libfb303, antlr-runtime).
# It carries the connector's own version; production installs the published bundle.
FLINK_HIVE_VERSION=${VERSION[flinkHive]}
if grep -qxF -- "${COORD[flinkHive]}" "$WWW/missing.txt"; then
  step_begin "Flink Hive connector: the newest 1.20 flink-connector-hive_2.12 served"
  for v in "$FLINK_HIVE_VERSION" 1.20.1 1.20.0; do
    standin="$WWW/lab-standins/flink-sql-connector-hive-3.1.3_2.12-$v-lab-standin.jar"
    if [ -f "$standin" ] || mvn_get "org.apache.flink:flink-connector-hive_2.12:$v:jar" 2>/dev/null; then
      FLINK_HIVE_VERSION=$v
      break
    fi
  done
  step_end
  standin="$WWW/lab-standins/flink-sql-connector-hive-3.1.3_2.12-$FLINK_HIVE_VERSION-lab-standin.jar"
  if [ ! -f "$standin" ] && [ -f "$M2/org/apache/flink/flink-connector-hive_2.12/$FLINK_HIVE_VERSION/flink-connector-hive_2.12-$FLINK_HIVE_VERSION.jar" ]; then
    step_begin "Flink Hive connector $FLINK_HIVE_VERSION stand-in from flink-connector-hive, hive-exec, libfb303, antlr-runtime"
    for a in org.apache.hive:hive-exec:3.1.3:jar org.apache.thrift:libfb303:0.9.3:jar org.antlr:antlr-runtime:3.5.2:jar; do mvn_get "$a"; done
    install -d "$WWW/lab-standins"
    python3 "$here/merge-jars.py" "$standin" \
      "Lab stand-in for flink-sql-connector-hive-3.1.3_2.12 $FLINK_HIVE_VERSION, merged from the jars Flink documents for Hive 3.1. Not the published bundle." \
      "$M2/org/apache/flink/flink-connector-hive_2.12/$FLINK_HIVE_VERSION/flink-connector-hive_2.12-$FLINK_HIVE_VERSION.jar" \
      "$M2/org/apache/hive/hive-exec/3.1.3/hive-exec-3.1.3.jar" \
      "$M2/org/apache/thrift/libfb303/0.9.3/libfb303-0.9.3.jar" \
      "$M2/org/antlr/antlr-runtime/3.5.2/antlr-runtime-3.5.2.jar" >&2
    step_end
  fi
fi
# The index names the connector as served: the bundle of that version, else the stand-in.
flink_hive_path=${MPATH[flinkHive]//"${VERSION[flinkHive]}"/"$FLINK_HIVE_VERSION"}
[ -f "$WWW/$flink_hive_path" ] || flink_hive_path="lab-standins/flink-sql-connector-hive-3.1.3_2.12-$FLINK_HIVE_VERSION-lab-standin.jar"
VERSION[flinkHive]=$FLINK_HIVE_VERSION
MPATH[flinkHive]=$flink_hive_path

# --------------------------------------------------------------------------------------------- JDK archive
# The JDK found at the start (see "JDK (first)"); without one, the lab runs Trino only if the mirror has it otherwise.
if [ -n "$JDK_VERSION" ] && [ ! -f "$WWW/$jdk_path" ]; then
  step_begin "JDK $JDK_VERSION archive from $jdk_src"
  work="$MIRROR/work/jdk"
  rm -rf "$work"; install -d "$work"
  cp -a "$jdk_src" "$work/jdk-$JDK_VERSION"
  pack "$work" "jdk-$JDK_VERSION" "$WWW/$jdk_path"
  step_end
fi
if [ -z "$JDK_VERSION" ]; then
  log "no Java $JDK_MAJOR JDK on this machine ($jdk_src $jdk_problem): the lab cannot run Trino $TRINO_VERSION"
  echo "jdk$JDK_MAJOR" >>"$WWW/missing.txt"
fi

# --------------------------------------------------------------------------------------------- index
step_begin "checksums"
artifact_files=()
entry() { # name version path
  local f="$WWW/$3"
  if [ ! -f "$f" ]; then printf '  "%s": null' "$1"; return; fi
  artifact_files+=("$3")
  printf '  "%s": { "version": "%s", "path": "%s", "sha512": "%s", "bytes": %s }' "$1" "$2" "$3" "$(sha512sum "$f" | cut -d' ' -f1)" "$(stat -c %s "$f")"
}
{
  echo "{"
  for name in "${ARTIFACT_NAMES[@]}"; do
    entry "$name" "${VERSION[$name]}" "${MPATH[$name]}"; echo ","
  done
  entry "jdk$JDK_MAJOR" "${JDK_VERSION:-none}" "$jdk_path"; echo
  echo "}"
} >"$WWW/artifacts.json.tmp"
mv "$WWW/artifacts.json.tmp" "$WWW/artifacts.json"
step_end

# The fast path's stamp (see "fast path"), last: only a build that got this far is complete.
{
  stamp_header
  for f in artifacts.json missing.txt "${flink_layout#"$WWW/"}" "${artifact_files[@]}"; do
    printf 'file %s %s\n' "$(stat -c '%s %.9Y' -- "$WWW/$f")" "$f"
  done
} >"$stamp.tmp"
mv -- "$stamp.tmp" "$stamp"
log "mirror ready in $((SECONDS - t0))s: $WWW ($(du -sh "$WWW" | cut -f1))"
