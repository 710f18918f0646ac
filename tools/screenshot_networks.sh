#!/usr/bin/env bash
# Make the network pages an analyst sees and screenshot them in headless Chromium: the seed
# report's pages (with its hub pages) and the Horizon Europe pages (actors as groups with a
# drill-down page per country, the bipartite view, the Horizon Europe hub). Each page is
# checked by tools/network_screenshots.py: drawn nodes and links against what the page states,
# labels that overlap, console errors; the PNGs go to OUT/shots.
#
#   tools/screenshot_networks.sh CORDIS_HE_FOLDER OUT [AS_OF]
#   e.g. tools/screenshot_networks.sh ../shared/data/cordis_horizon_europe /tmp/shots 2024-06-30
#
# Needs Debian's chromium (tools/install_browser.sh) and the test extra (websocket-client).
set -euo pipefail
cordis=${1:?usage: $0 CORDIS_HE_FOLDER OUT [AS_OF]}
out=${2:?usage: $0 CORDIS_HE_FOLDER OUT [AS_OF]}
as_of=${3:-2024-06-30}
here=$(cd "$(dirname "$0")/.." && pwd)
stigraph=${STIGRAPH:-$here/.venv/bin/stigraph}
python=${PYTHON:-$here/.venv/bin/python}
mkdir -p "$out/pages"

"$stigraph" report --out "$out/seed-report" --as-of "$as_of" --quiet
"$stigraph" import cordis "$cordis" --out "$out/he.nt" > /dev/null
"$stigraph" viz actor --include "$out/he.nt" --as-of "$as_of" --out "$out/pages/he-actors.html" --quiet
"$stigraph" viz bipartite --include "$out/he.nt" --as-of "$as_of" --out "$out/pages/he-bipartite.html" --quiet
"$stigraph" viz cooperation --ego horizon-europe --include "$out/he.nt" --as-of "$as_of" \
    --out "$out/pages/he-hub-horizon-europe.html" --quiet

pages=("$out"/seed-report/networks/*.html "$out"/pages/*.html)
# a few drill-down pages of each grouped view: the largest groups and some developing countries
for view in "$out"/pages/he-actors "$out"/pages/he-bipartite "$out"/pages/he-hub-horizon-europe; do
    for key in country-de country-fr country-ke country-za country-in class-programme; do
        [ -f "$view/$key.html" ] && pages+=("$view/$key.html")
    done
done
"$python" "$here/tools/network_screenshots.py" --shots "$out/shots" "${pages[@]}"
