#!/bin/sh
# Install Java 17 and Maven from Debian's packages, to resolve and run Neo4j (make neo4j-resolve).
# Nothing is downloaded outside the package manager; does nothing when both are present.
set -eu
if command -v mvn >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(17|21)'; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless maven
java -version
