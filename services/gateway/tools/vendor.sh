#!/usr/bin/env bash
# Re-creates gateway/static/vendor/ from the npm registry (run by hand when upgrading; the files are
# committed so that nothing is fetched at run time): htmx 2.x, Leaflet, Swagger UI (the API docs at
# /api/v1/docs), and Germany's outline as GeoJSON taken from world-atlas (Natural Earth, public
# domain) with topojson-client.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/gateway/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent htmx.org@2.0.11 leaflet@1.9.4 world-atlas@2.0.2 topojson-client@3.1.0 swagger-ui-dist@5.35.0 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done
mkdir -p "$out/leaflet/images"
cp htmx.org-2.0.11/package/dist/htmx.min.js "$out/htmx.min.js"
cp leaflet-1.9.4/package/dist/leaflet.js leaflet-1.9.4/package/dist/leaflet.css "$out/leaflet/"
cp leaflet-1.9.4/package/dist/images/*.png "$out/leaflet/images/"
cp leaflet-1.9.4/package/LICENSE "$out/leaflet/LICENSE"
mkdir -p "$out/swagger-ui"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE; do
  cp "swagger-ui-dist-5.35.0/package/$f" "$out/swagger-ui/$f"
done
node -e '
const topojson = require("./topojson-client-3.1.0/package/dist/topojson-client.js");
const world = require("./world-atlas-2.0.2/package/countries-50m.json");
const germany = world.objects.countries.geometries.filter(g => g.id === "276");
const fc = topojson.feature(world, {type: "GeometryCollection", geometries: germany});
process.stdout.write(JSON.stringify(fc));
' > "$out/germany.geojson"
echo "vendored into $out"
