//! The dashboard's files, built into the binary.
//!
//! Dyad runs on a researcher's laptop, often offline, so the dashboard must not
//! fetch anything at run time: every file (HTML, CSS, ES modules, the Natural Earth
//! country shapes) is compiled in with `include_bytes!`. Lookup is an exact match of
//! the request path against this fixed table, never a file-system path built from
//! the request, so `..`, encoded slashes and the like cannot reach anything outside
//! it: there is nothing outside it.
//!
//! The files are plain ES modules with no build step, so what is in
//! `crates/serve/assets/` is exactly what the browser runs.

/// One embedded file.
pub struct Asset {
    /// The URL path it is served at.
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $file:literal, $ct:expr) => {
        Asset {
            path: $path,
            content_type: $ct,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $file)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file the dashboard serves.
pub static ASSETS: &[Asset] = &[
    asset!("/", "index.html", "text/html; charset=utf-8"),
    asset!("/assets/style.css", "style.css", "text/css; charset=utf-8"),
    asset!("/assets/favicon.svg", "favicon.svg", "image/svg+xml"),
    asset!("/assets/app.js", "app.js", JS),
    asset!("/assets/api.js", "api.js", JS),
    asset!("/assets/state.js", "state.js", JS),
    asset!("/assets/format.js", "format.js", JS),
    asset!("/assets/svg.js", "svg.js", JS),
    asset!("/assets/timeline.js", "timeline.js", JS),
    asset!("/assets/network.js", "network.js", JS),
    asset!("/assets/map.js", "map.js", JS),
    asset!("/assets/geo.js", "geo.js", JS),
    asset!("/assets/table.js", "table.js", JS),
    asset!(
        "/assets/world.json",
        "world.json",
        "application/json; charset=utf-8"
    ),
];

/// The asset served at `path`, if any. `/index.html` is an alias of `/`.
pub fn find(path: &str) -> Option<&'static Asset> {
    let path = if path == "/index.html" { "/" } else { path };
    ASSETS.iter().find(|a| a.path == path)
}

/// A strong validator for caching: the FNV-1a hash of the body. Assets change only
/// with the binary, so the browser can revalidate cheaply with `If-None-Match`.
pub fn etag(asset: &Asset) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in asset.body {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_import_names_an_embedded_asset() {
        // An ES module importing a file that is not in the table would fail only in
        // the browser; catch it here.
        for a in ASSETS.iter().filter(|a| a.content_type == JS) {
            let text = std::str::from_utf8(a.body).unwrap();
            for line in text
                .lines()
                .filter(|l| l.trim_start().starts_with("import "))
            {
                let Some(spec) = line.split(['"', '\'']).nth(1) else {
                    continue;
                };
                let target = format!("/assets/{}", spec.trim_start_matches("./"));
                assert!(find(&target).is_some(), "{} imports {spec}", a.path);
            }
        }
    }

    #[test]
    fn lookup_is_exact() {
        assert!(find("/").is_some());
        assert!(find("/index.html").is_some());
        assert!(find("/assets/app.js").is_some());
        assert!(find("/assets/../assets/app.js").is_none());
        assert!(find("/assets/").is_none());
        assert!(find("/assets/app.js/").is_none());
    }
}
