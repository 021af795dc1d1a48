#!/usr/bin/env python3
"""Merge jars into one, the way maven-shade-plugin does for a connector's "sql" jar (without relocation):
the first jar to carry a path wins, except META-INF/services/* files, which are concatenated (every jar's
service providers stay registered), and signature files, which are dropped (they would no longer match).

Used by lab/mirror.sh to assemble a lab STAND-IN for flink-sql-connector-hive-3.1.3 from the jars that
Flink's documentation lists for Hive 3.1 (flink-connector-hive, hive-exec, libfb303, antlr-runtime) when the
registry lacks the published bundle. Production installs the published jar.

    merge-jars.py OUT.jar NOTE IN.jar [IN.jar ...]
"""
import os
import sys
import zipfile

SIGNATURE_SUFFIXES = (".SF", ".RSA", ".DSA", ".EC")


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    out, note, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    seen: set[str] = set()
    services: dict[str, list[bytes]] = {}
    with zipfile.ZipFile(out + ".part", "w", compression=zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: lakehouse-iac lab/merge-jars.py\r\n\r\n")
        dst.writestr("META-INF/LAKEHOUSE-LAB-STAND-IN.txt", note + "\n")
        seen.update(["META-INF/MANIFEST.MF", "META-INF/LAKEHOUSE-LAB-STAND-IN.txt"])
        for path in inputs:
            with zipfile.ZipFile(path) as src:
                for info in src.infolist():
                    name = info.filename
                    upper = name.upper()
                    if upper.startswith("META-INF/") and upper.endswith(SIGNATURE_SUFFIXES):
                        continue
                    if name.startswith("META-INF/services/") and not info.is_dir():
                        services.setdefault(name, []).append(src.read(info).rstrip(b"\n") + b"\n")
                        continue
                    if name in seen:
                        continue
                    seen.add(name)
                    dst.writestr(info, b"" if info.is_dir() else src.read(info))
        for name, parts in sorted(services.items()):
            dst.writestr(name, b"".join(parts))
    os.replace(out + ".part", out)
    print(f"{out}: {len(seen)} entries, {len(services)} service files merged from {len(inputs)} jars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
