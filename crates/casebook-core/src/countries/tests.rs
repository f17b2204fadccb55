use std::time::Instant;

use super::*;

fn iso3_at(lon: f64, lat: f64) -> Option<&'static str> {
    country_at(lon, lat).map(|c| c.iso3)
}

#[test]
fn data_decodes() {
    assert_eq!(verify_data(), Ok(()));
}

#[test]
fn decode_time_is_reported() {
    let bytes = data::world_bin();
    let t = Instant::now();
    let table = data::decode_table(bytes);
    let table_time = t.elapsed();
    let Ok(table) = table else {
        panic!("table: {table:?}", table = table.err());
    };
    eprintln!(
        "world.bin: {} bytes; country table: {table_time:?}",
        bytes.len()
    );
    for detail in Detail::ALL {
        let t = Instant::now();
        let level = data::decode_level(bytes, data::level_tag(detail), table.countries.len());
        let elapsed = t.elapsed();
        let Ok(level) = level else {
            panic!("{}: {:?}", detail.scale(), level.err());
        };
        let t = Instant::now();
        let land = level.land_checked().map(|l| l.ring_points.len());
        let land_time = t.elapsed();
        eprintln!(
            "{}: countries and borders {elapsed:?} ({} arc points, {} ring points, {} borders), then land {land_time:?} ({land:?} points)",
            detail.scale(),
            level.arc_points.len(),
            (0..level.country_count())
                .filter_map(|i| level.country(i))
                .map(|shapes| shapes.ring_points.len())
                .sum::<usize>(),
            level.borders.len(),
        );
        // Generous: a cold debug build on a slow machine; release takes a few ms.
        assert!(elapsed.as_secs_f64() < 2.0);
    }
    // Queries, once decoded.
    let points = [
        (-3.7038, 40.4168),
        (114.1694, 22.3193),
        (-74.006, 40.7128),
        (-30.0, 30.0),
        (100.0, 60.0),
    ];
    assert_eq!(verify_data(), Ok(()));
    let t = Instant::now();
    let found = (0..200)
        .flat_map(|_| points)
        .filter(|&(lon, lat)| country_at(lon, lat).is_some())
        .count();
    eprintln!(
        "country_at: {:?} per query ({found} hits)",
        t.elapsed() / 1000
    );
    let t = Instant::now();
    let near = (0..200)
        .flat_map(|_| points)
        .filter_map(|(lon, lat)| distance_km("RUS", lon, lat))
        .count();
    eprintln!(
        "distance_km(RUS): {:?} per query ({near})",
        t.elapsed() / 1000
    );
}

/// The polygons a country is assembled from on demand are exactly those of a decode of
/// every country in one pass, at every level; so is the box `country_at` filters by.
#[test]
fn countries_assembled_on_demand_match_one_pass() {
    let bytes = data::world_bin();
    for detail in Detail::ALL {
        let Ok(level) = data::level(detail) else {
            panic!("{}: level does not decode", detail.scale());
        };
        let (whole, ranges) =
            match data::countries_in_one_pass(bytes, data::level_tag(detail), level) {
                Ok(v) => v,
                Err(e) => panic!("{}: {e}", detail.scale()),
            };
        let mut compared = 0;
        for (index, range) in ranges.iter().enumerate() {
            let one_pass = WorldPolygons::new(&whole, range.clone());
            let Some(shapes) = level.country(index) else {
                assert!(range.is_empty(), "{} country {index}", detail.scale());
                assert_eq!(level.country_bbox[index][0], f32::INFINITY);
                continue;
            };
            let n = u32::try_from(shapes.polygons.len()).unwrap_or(0);
            let lazy = WorldPolygons::new(shapes, 0..n);
            assert_eq!(
                lazy.len(),
                one_pass.len(),
                "{} country {index}",
                detail.scale()
            );
            for (a, b) in lazy.iter().zip(one_pass.iter()) {
                assert_eq!(a.bbox(), b.bbox());
                let (ra, rb): (Vec<_>, Vec<_>) = (a.rings().collect(), b.rings().collect());
                assert_eq!(ra.len(), rb.len());
                for (x, y) in ra.iter().zip(&rb) {
                    assert_eq!(x.points, y.points);
                    assert_eq!(x.bbox, y.bbox);
                }
            }
            assert_eq!(Some(level.country_bbox[index]), one_pass.bbox());
            compared += 1;
        }
        assert!(compared > 150, "{}: {compared} countries", detail.scale());
    }
}

/// Asking for one country assembles that country's polygons and no other's.
#[test]
fn one_country_is_assembled_alone() {
    let (Ok(table), bytes) = (data::table(), data::world_bin()) else {
        panic!("table does not decode");
    };
    let Ok(level) = data::decode_level(bytes, "L010", table.countries.len()) else {
        panic!("L010 does not decode");
    };
    let Some(esp) = by_iso3("ESP") else {
        panic!("no ESP");
    };
    assert_eq!(level.assembled(), 0);
    assert!(
        level
            .country(esp.index)
            .is_some_and(|s| !s.polygons.is_empty())
    );
    assert_eq!(level.assembled(), 1);
    // The same answer as the shared level's, which may have assembled others already.
    let Some(shared) = esp.polygons(Detail::High) else {
        panic!("no ESP polygons");
    };
    assert_eq!(
        level.country(esp.index).map(|s| s.polygons.len()),
        Some(shared.len())
    );
    assert_eq!(level.assembled(), 1);
}

#[test]
fn damaged_data_gives_errors_not_panics() {
    let original = data::world_bin();
    // A small LCG: deterministic "random" damage.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n.max(1)
    };
    for round in 0..24 {
        let mut bytes = original.to_vec();
        if round % 3 == 0 {
            bytes.truncate(next(original.len()));
        } else {
            for _ in 0..1 + round {
                let i = next(bytes.len());
                bytes[i] ^= 1 << next(8);
            }
        }
        // Decoders borrow 'static bytes (names point into them): leak the test copy.
        let bytes: &'static [u8] = Vec::leak(bytes);
        let countries = data::decode_table(bytes).map_or(250, |t| t.countries.len());
        for detail in Detail::ALL {
            if let Ok(level) = data::decode_level(bytes, data::level_tag(detail), countries) {
                let _ = level.land_checked();
                for index in 0..level.country_count() {
                    let _ = level.country_checked(index);
                }
            }
        }
    }
    assert!(data::decode_table(&[]).is_err());
    assert!(data::decode_level(b"CBWORLD\x01\0\0\0\0", "L010", 250).is_err());
}

#[test]
fn table_has_every_iso_code() {
    let countries = all();
    // 249 officially assigned codes, plus Kosovo's user-assigned XK.
    assert_eq!(countries.len(), 250);
    let official = countries.iter().filter(|c| c.iso3 != "XKK").count();
    assert_eq!(official, 249);
    for (i, c) in countries.iter().enumerate() {
        assert_eq!(c.index, i);
        assert_eq!(c.iso2.len(), 2);
        assert_eq!(c.iso3.len(), 3);
        assert_eq!(by_iso3(c.iso3), Some(c));
        assert_eq!(by_iso2(c.iso2), Some(c));
        assert!(!c.name.is_empty());
    }
    let mut numeric: Vec<u16> = countries.iter().map(|c| c.numeric).collect();
    numeric.sort_unstable();
    numeric.dedup();
    assert_eq!(numeric.len(), 250);
    for code in [
        "ESP", "HKG", "USA", "GBR", "ATA", "UMI", "BVT", "SJM", "PSE", "TWN", "MAC",
    ] {
        assert!(by_iso3(code).is_some(), "{code}");
    }
    assert!(by_iso3("esp").is_none());
    assert!(by_iso3("").is_none());
    let gbr = by_iso3("GBR");
    assert_eq!(gbr.map(|c| c.name), Some("United Kingdom"));
    assert!(gbr.is_some_and(|c| c.alt_names.contains(&"UK")));
    let usa = by_iso3("USA");
    assert_eq!(
        usa.map(|c| (c.iso2, c.numeric, c.name)),
        Some(("US", 840, "United States of America"))
    );
    assert!(usa.is_some_and(|c| c.alt_names.contains(&"USA")));
    assert_eq!(by_iso3("HKG").map(|c| c.name), Some("Hong Kong"));
}

#[test]
fn every_country_but_the_holy_see_has_an_outline() {
    let missing: Vec<_> = all()
        .iter()
        .filter(|c| !c.has_boundary())
        .map(|c| c.iso3)
        .collect();
    assert_eq!(missing, ["VAT"]);
    assert_eq!(contains("VAT", 12.4534, 41.9029), None);
}

#[test]
fn cities_are_in_their_countries() {
    // (lon, lat, iso3)
    let cases = [
        (-3.7038, 40.4168, "ESP"),   // Madrid
        (114.1694, 22.3193, "HKG"),  // Hong Kong
        (-74.0060, 40.7128, "USA"),  // New York
        (27.4869, -29.3151, "LSO"),  // Maseru
        (28.0473, -26.2041, "ZAF"),  // Johannesburg
        (2.3522, 48.8566, "FRA"),    // Paris
        (55.4504, -20.8823, "REU"),  // Saint-Denis, Réunion
        (16.0, 78.5, "SJM"),         // Spitsbergen
        (45.0418, 44.0, "RUS"),      // Stavropol region
        (175.0, 67.0, "RUS"),        // Chukotka, west of 180°
        (-175.0, 66.5, "RUS"),       // Chukotka, east of 180°
        (178.4419, -18.1416, "FJI"), // Suva
        (-178.8, -18.2, "FJI"),      // Lakeba, east of 180°
        (45.3182, 2.0469, "SOM"),    // Mogadishu
        (44.0650, 9.5600, "SOM"),    // Hargeisa (Natural Earth draws Somaliland apart)
        (33.3823, 35.1856, "CYP"),   // Nicosia
        (21.1655, 42.6629, "XKK"),   // Pristina
        (103.8198, 1.3521, "SGP"),   // Singapore
        (0.0, -89.5, "ATA"),         // Near the South Pole
    ];
    for (lon, lat, iso3) in cases {
        assert_eq!(
            contains(iso3, lon, lat),
            Some(true),
            "{iso3} at ({lon}, {lat})"
        );
        assert_eq!(iso3_at(lon, lat), Some(iso3), "country_at({lon}, {lat})");
        assert_eq!(distance_km(iso3, lon, lat), Some(0.0));
    }
}

#[test]
fn holes_and_seas_are_outside() {
    // Maseru is in a hole of South Africa.
    assert_eq!(contains("ZAF", 27.4869, -29.3151), Some(false));
    // Mid-Atlantic.
    assert_eq!(iso3_at(-30.0, 30.0), None);
    assert_eq!(contains("USA", -30.0, 30.0), Some(false));
    assert_eq!(contains("ESP", -74.0060, 40.7128), Some(false));
    // Unknown code, invalid points.
    assert_eq!(contains("XXX", 0.0, 0.0), None);
    assert_eq!(contains("ESP", f64::NAN, 40.0), Some(false));
    assert_eq!(contains("ESP", -3.7, 95.0), Some(false));
    assert_eq!(iso3_at(f64::INFINITY, 0.0), None);
}

#[test]
fn longitudes_wrap_at_180() {
    // Chukotka straddles 180°: both spellings of the meridian and wrapped values work.
    assert_eq!(contains("RUS", 180.0, 67.5), Some(true));
    assert_eq!(contains("RUS", -180.0, 67.5), Some(true));
    assert_eq!(contains("RUS", 175.0 + 360.0, 67.0), Some(true));
    assert_eq!(contains("RUS", -175.0 - 360.0, 66.5), Some(true));
    assert_eq!(iso3_at(-180.0, 67.5), Some("RUS"));
    // No outline crosses the map: no edge jumps more than half the world, except along a
    // pole (Antarctica is closed along the map's bottom edge).
    for detail in Detail::ALL {
        for polygon in land(detail).iter().chain(
            all()
                .iter()
                .filter_map(|c| c.polygons(detail))
                .flat_map(|p| p.iter().collect::<Vec<_>>()),
        ) {
            for ring in polygon.rings() {
                let jumps = ring.points.windows(2).any(|w| {
                    (w[0][0] - w[1][0]).abs() > 180.0
                        && !(w[0][1].abs() == 90.0 && w[1][1] == w[0][1])
                });
                assert!(!jumps, "{} ring jumps across 180°", detail.scale());
            }
        }
    }
}

#[test]
fn boxes_wrap_at_180() {
    let Some([w, s, e, n]) = bbox("ESP") else {
        panic!("no box for Spain");
    };
    assert!(w < -3.7 && e > -3.7 && s < 40.4 && n > 40.4 && w < e);
    let Some([w, _, e, _]) = bbox("RUS") else {
        panic!("no box for Russia");
    };
    assert!(w > e, "Russia's box crosses 180°: {w} {e}");
    assert!((19.0..21.0).contains(&w) && (-170.0..-168.0).contains(&e));
    let Some([w, _, e, _]) = bbox("FJI") else {
        panic!("no box for Fiji");
    };
    assert!(w > 170.0 && e < -170.0);
    assert_eq!(bbox("VAT"), None);
}

#[test]
fn every_label_point_is_inside_its_country() {
    for c in all() {
        let Some((lon, lat)) = c.label_point else {
            assert!(!c.has_boundary());
            continue;
        };
        assert_eq!(
            c.contains(lon, lat),
            Some(true),
            "{} label ({lon}, {lat})",
            c.iso3
        );
        assert_eq!(label_point(c.iso3), Some((lon, lat)));
    }
}

#[test]
fn distances_to_boundaries() {
    // Sea off Barcelona: a few km to Spain.
    let Some(d) = distance_km("ESP", 2.3, 41.3) else {
        panic!("no distance");
    };
    assert!(d > 0.5 && d < 25.0, "{d}");
    // Madrid to Portugal: about 200 km.
    let Some(d) = distance_km("PRT", -3.7038, 40.4168) else {
        panic!("no distance");
    };
    assert!((150.0..300.0).contains(&d), "{d}");
    // Coastal towns can fall a little off the 1:10m outline: Longyearbyen, Anadyr, Uelen.
    for (lon, lat, iso3) in [
        (15.6356, 78.2232, "SJM"),
        (177.5, 64.73, "RUS"),
        (-169.8, 66.16, "RUS"),
    ] {
        let Some(d) = distance_km(iso3, lon, lat) else {
            panic!("no distance");
        };
        assert!(d < 2.0, "{iso3} ({lon}, {lat}): {d}");
    }
    // Across 180°: east of Russia's eastern tip, measured the short way round.
    let Some(d) = distance_km("RUS", -168.0, 66.0) else {
        panic!("no distance");
    };
    assert!(d < 150.0, "{d}");
    assert_eq!(distance_km("XXX", 0.0, 0.0), None);
    assert_eq!(distance_km("ESP", f64::NAN, 0.0), None);
    // The haversine itself: Madrid to New York is about 5 760 km.
    let d = geo::haversine_km(-3.7038, 40.4168, -74.0060, 40.7128);
    assert!((5700.0..5820.0).contains(&d), "{d}");
}

#[test]
fn suggestions_for_bad_codes() {
    let cases = [
        ("ES", "ESP"),
        ("HK", "HKG"),
        ("usa", "USA"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("Spain", "ESP"),
        ("spain", "ESP"),
        ("Korea", "KOR"),
        (" chn ", "CHN"),
        ("CHN ", "CHN"),
        ("724", "ESP"),
        ("Hong Kong", "HKG"),
        ("Hong Kong SAR, China", "HKG"),
        ("United States", "USA"),
        ("United Kingdom", "GBR"),
        ("Germny", "DEU"),
        ("GER", "DEU"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Russia", "RUS"),
        ("Czech Republic", "CZE"),
        ("Holland", "NLD"),
        ("Congo", "COG"),
        ("Spain (ESP)", "ESP"),
        ("Réunion", "REU"),
    ];
    for (input, want) in cases {
        assert_eq!(
            suggest(input).map(|c| c.iso3),
            Some(want),
            "suggest({input:?})"
        );
    }
    for input in ["", "   ", "United", "XYZ", "zz", "EN", "Atlantis Republic"] {
        assert_eq!(suggest(input).map(|c| c.iso3), None, "suggest({input:?})");
    }
}

#[test]
fn search_ranks_codes_and_names() {
    let codes = |q: &str, n: usize| search(q, n).into_iter().map(|c| c.iso3).collect::<Vec<_>>();
    let united = codes("united", 10);
    assert!(
        united.contains(&"GBR") && united.contains(&"USA"),
        "{united:?}"
    );
    // "United Republic of Tanzania" is a name too; "Tanzania" ranks it for its own query.
    assert_eq!(codes("tanzania", 1), ["TZA"]);
    assert_eq!(codes("esp", 3).first(), Some(&"ESP"));
    assert_eq!(codes("ES", 3).first(), Some(&"ESP"));
    assert_eq!(codes("spa", 3).first(), Some(&"ESP"));
    assert_eq!(codes("hong", 3), ["HKG"]);
    assert_eq!(codes("kong", 3), ["HKG"]);
    assert_eq!(codes("uk", 1), ["GBR"]);
    assert_eq!(codes("aland", 1), ["ALA"]);
    assert_eq!(codes("korea", 2), ["KOR", "PRK"]);
    assert_eq!(search("", 5).len(), 5);
    assert!(search("zzzz", 5).is_empty());
    assert!(search("a", 0).is_empty());
}

#[test]
fn drawing_levels_have_land_and_borders() {
    for detail in Detail::ALL {
        let land = land(detail);
        assert!(land.len() > 100, "{} land: {}", detail.scale(), land.len());
        assert!(borders(detail).count() > 100);
        assert!(borders(detail).all(|l| l.points.len() >= 2));
        let esp = polygons("ESP", detail);
        assert!(esp.is_some_and(|p| p.iter().any(|p| p.contains(-3.7038, 40.4168))));
        for polygon in land.iter() {
            let exterior = polygon.exterior();
            assert!(exterior.points.len() >= 3);
            // Exterior rings run counter-clockwise (RFC 7946).
            assert!(signed_area(exterior.points) > 0.0, "{}", detail.scale());
            for hole in polygon.holes() {
                assert!(signed_area(hole.points) < 0.0);
            }
        }
    }
    // Small countries are missing from the coarsest level only.
    assert!(polygons("SGP", Detail::Low).is_none());
    assert!(polygons("SGP", Detail::Medium).is_some());
    assert!(polygons("ZAF", Detail::High).is_some_and(|p| p.iter().any(|p| p.holes().count() > 0)));
    assert_eq!(Detail::for_degrees_per_pixel(1.0), Detail::Low);
    assert_eq!(Detail::for_degrees_per_pixel(0.1), Detail::Medium);
    assert_eq!(Detail::for_degrees_per_pixel(0.001), Detail::High);
}

fn signed_area(points: &[[f32; 2]]) -> f64 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            f64::from(a[0]) * f64::from(b[1]) - f64::from(b[0]) * f64::from(a[1])
        })
        .sum::<f64>()
        / 2.0
}

/// The value after `key:` on a front-matter line, without quotes.
fn front_matter_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.strip_prefix(':')?;
    Some(rest.trim().trim_matches(['"', '\'']))
}

/// `[lat, lon]` as written in a case's front matter (a line scan, not YAML).
fn parse_centroid(value: &str) -> Option<(f64, f64)> {
    let inner = value.trim().strip_prefix('[')?.strip_suffix(']')?;
    let numbers: Vec<f64> = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [lat, lon] => Some((lat, lon)),
        _ => None,
    }
}

/// Reports how many case centroids fall inside their `country_code`; runs when
/// `CASEBOOK_CORPUS` names the corpus folder (or its `cases` folder).
#[test]
fn corpus_centroids_are_in_their_countries() {
    let Some(root) = std::env::var_os("CASEBOOK_CORPUS") else {
        eprintln!("CASEBOOK_CORPUS not set: skipping the corpus check");
        return;
    };
    let root = std::path::PathBuf::from(root);
    let cases = if root.join("cases").is_dir() {
        root.join("cases")
    } else {
        root
    };
    let Ok(entries) = std::fs::read_dir(&cases) else {
        panic!("cannot read {}", cases.display());
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("index.md"))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();

    let (mut parseable, mut inside, mut near) = (0, 0, 0);
    let mut problems = Vec::new();
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            problems.push(format!("{}: unreadable", path.display()));
            continue;
        };
        // Only the front matter: the lines between the first two `---`.
        let mut lines = text.lines();
        if lines.next().map(str::trim_end) != Some("---") {
            problems.push(format!("{}: no front matter", path.display()));
            continue;
        }
        let (mut code, mut centroid) = (None, None);
        for line in lines.take_while(|l| l.trim_end() != "---") {
            code = code.or_else(|| front_matter_value(line, "country_code"));
            centroid =
                centroid.or_else(|| front_matter_value(line, "centroid").and_then(parse_centroid));
        }
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (Some(code), Some((lat, lon))) = (code, centroid) else {
            problems.push(format!(
                "{name}: country_code or centroid missing or unparseable"
            ));
            continue;
        };
        parseable += 1;
        let found = iso3_at(lon, lat).unwrap_or("none");
        match distance_km(code, lon, lat) {
            Some(d) if d <= 0.0 => inside += 1,
            Some(d) if d <= 25.0 => {
                near += 1;
                problems.push(format!(
                    "{name}: {code} [{lat}, {lon}] is {d:.2} km outside (country_at: {found})"
                ));
            }
            Some(d) => problems.push(format!(
                "{name}: {code} [{lat}, {lon}] is {d:.0} km outside (country_at: {found})"
            )),
            None => {
                let hint = suggest(code).map_or("no suggestion".to_string(), |c| {
                    format!("suggest: {}", c.iso3)
                });
                problems.push(format!(
                    "{name}: {code:?} is not an alpha-3 code ({hint}); point is in {found}"
                ));
            }
        }
    }
    eprintln!(
        "corpus: {} cases, {parseable} parseable, {inside} centroids inside their country, {near} within 25 km",
        paths.len()
    );
    for p in &problems {
        eprintln!("  {p}");
    }
    assert!(
        parseable > 0,
        "no case with a country_code and centroid in {}",
        cases.display()
    );
    assert!(
        (inside + near) * 5 >= parseable * 4,
        "only {} of {parseable} centroids inside or within 25 km",
        inside + near
    );
}
