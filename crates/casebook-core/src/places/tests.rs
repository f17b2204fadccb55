#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn labels(results: &[Match]) -> Vec<String> {
    results.iter().map(|m| m.place.label()).collect()
}

fn first(query: &str, country: Option<&str>) -> Place {
    let r = search(query, country, 1);
    assert_eq!(r.len(), 1, "nothing for {query:?}");
    r[0].place
}

#[test]
fn the_embedded_data_decodes_and_is_compact() {
    verify_data().unwrap();
    assert!(len() > 150_000, "{} places", len());
    assert!(data_size() < 5 << 20, "{} bytes", data_size());
    let (g, idx) = index::index().unwrap();
    assert!(idx.is_sorted());
    assert!(idx.len() > len());
    // By country, most populous first in each; and a population order across them.
    for c in 0..g.countries.len() {
        let places = &g.places[g.in_country(u8::try_from(c).unwrap())];
        assert!(!places.is_empty());
        assert!(
            places
                .windows(2)
                .all(|w| w[0].population >= w[1].population)
        );
        assert!(places.iter().all(|r| usize::from(r.country) == c));
    }
    let order = g.by_population();
    assert_eq!(order.len(), g.places.len());
    let pops: Vec<u32> = order
        .iter()
        .map(|&i| g.places[i as usize].population)
        .collect();
    assert!(pops.windows(2).all(|w| w[0] >= w[1]));
    assert!(!ATTRIBUTION.is_empty() && ATTRIBUTION.contains("GeoNames"));
    // Records and index together stay small (the app's memory budget is tight).
    let heap = heap_bytes();
    eprintln!("gazetteer heap: {heap} bytes");
    assert!((1 << 20..14 << 20).contains(&heap), "{heap} bytes");
}

#[test]
fn folding_ignores_case_accents_and_punctuation() {
    for (name, folded) in [
        ("São Paulo", "sao paulo"),
        ("ZÜRICH", "zurich"),
        ("Łódź", "lodz"),
        ("Ōtautahi-Christchurch", "otautahi christchurch"),
        ("St. John's", "st johns"),
        ("  Đà  Nẵng ", "da nang"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("Kraków – Nowa Huta", "krakow nowa huta"),
        ("Ålesund", "alesund"),
        ("Москва", "москва"),
        ("苏州市", "苏州市"),
        ("e\u{301}cole", "ecole"),
        ("", ""),
        ("-- ,", ""),
    ] {
        assert_eq!(fold(name), folded, "{name:?}");
    }
}

#[test]
fn suzhou_lists_both_with_province_and_country() {
    let r = search("Suzhou", None, 10);
    let l = labels(&r);
    assert_eq!(l[0], "Suzhou, Jiangsu, China");
    assert_eq!(l[1], "Suzhou, Anhui, China");
    // Lower case, and only in China.
    assert_eq!(labels(&search("suzhou", Some("CHN"), 2)), l[..2]);
}

#[test]
fn prefixes_fold_accents() {
    let sp = first("sao pa", None);
    assert_eq!((sp.name, sp.iso3), ("São Paulo", "BRA"));
    assert_eq!(first("SÃO PAULO", None), sp);
    assert_eq!(first("Sao Paulo", None), sp);
    let z = first("zur", None);
    assert_eq!((z.name, z.iso3), ("Zürich", "CHE"));
    let m = first("montre", Some("CAN"));
    assert_eq!(m.name, "Montréal");
}

#[test]
fn results_are_ranked_by_population_and_distinct() {
    let r = search("san", None, 40);
    assert_eq!(r.len(), 40);
    // Whole-name prefixes, by population.
    let pops: Vec<u32> = r.iter().map(|m| m.place.population).collect();
    let sorted = {
        let mut p = pops.clone();
        p.sort_by(|a, b| b.cmp(a));
        p
    };
    // Alternate-name matches weigh less, so the order is by population among name matches.
    let by_name: Vec<u32> = r
        .iter()
        .filter(|m| m.matched == m.place.name)
        .map(|m| m.place.population)
        .collect();
    assert!(
        by_name.windows(2).all(|w| w[0] >= w[1]),
        "{pops:?} vs {sorted:?}"
    );
    let mut ranks: Vec<u32> = r.iter().map(|m| m.place.id()).collect();
    ranks.sort_unstable();
    ranks.dedup();
    assert_eq!(ranks.len(), r.len(), "a place listed twice");
}

#[test]
fn short_queries_rank_like_long_lists() {
    // One letter matches tens of thousands of keys; the first ten are the first ten of a
    // long list.
    for q in ["s", "m", "a", "be"] {
        let short = search(q, None, 10);
        let long = search(q, None, 2_000);
        assert_eq!(short[..], long[..10], "{q}");
    }
}

#[test]
fn whole_names_before_later_words() {
    let r = search("york", None, 200);
    let york = r
        .iter()
        .position(|m| m.place.name == "York" && m.place.iso3 == "GBR");
    let nyc = r
        .iter()
        .position(|m| m.place.name == "New York City" && m.place.iso3 == "USA");
    let (Some(york), Some(nyc)) = (york, nyc) else {
        panic!("{:?}", labels(&r));
    };
    assert!(york < nyc);
    assert_eq!(york, 0);
    // A later word alone finds it too.
    let f = first("francisco", Some("USA"));
    assert_eq!(f.name, "San Francisco");
}

#[test]
fn country_filter_takes_alpha3_or_alpha2() {
    let l = first("London", Some("CAN"));
    assert_eq!(l.label(), "London, Ontario, Canada");
    assert_eq!(first("London", Some("ca")), l);
    assert_eq!(first("London", None).iso3, "GBR");
    assert!(search("London", Some("XXX"), 5).is_empty());
    assert!(search("London", Some(""), 5).is_empty());
}

#[test]
fn alternate_names_find_places_but_weigh_less() {
    let m = &search("bombay", None, 1)[0];
    assert_eq!((m.place.name, m.matched), ("Mumbai", "Bombay"));
    assert_eq!(first("cologne", None).name, "Köln");
    assert_eq!(first("peking", None).name, "Beijing");
    // "Christiania" (Oslo's former name) does not come before Christchurch.
    assert_eq!(first("christ", None).name, "Christchurch");
    assert!(m.place.alternate_names().contains(&"Bombay"));
}

#[test]
fn names_in_other_scripts() {
    assert_eq!(first("苏州", None).label(), "Suzhou, Jiangsu, China");
    let m = first("Москва", None);
    assert_eq!((m.name, m.iso3), ("Moscow", "RUS"));
    assert_eq!(first("서울", None).name, "Seoul");
}

#[test]
fn empty_queries_and_limits() {
    assert!(search("", None, 10).is_empty());
    assert!(search("  -- ", None, 10).is_empty());
    assert!(search("paris", None, 0).is_empty());
    assert!(search("qqqqzzzz", None, 10).is_empty());
    assert_eq!(search("a", None, 7).len(), 7);
}

#[test]
fn labels_do_not_repeat_themselves() {
    assert_eq!(first("Singapore", Some("SGP")).label(), "Singapore");
    assert_eq!(first("Hong Kong", Some("HKG")).label(), "Hong Kong");
    assert_eq!(first("Tianjin", Some("CHN")).label(), "Tianjin, China");
    assert_eq!(
        first("Cambridge", Some("USA")).label(),
        "Cambridge, Massachusetts, United States"
    );
}

#[test]
fn named_is_exact_but_folded() {
    let m = named("montreal", "CAN");
    assert_eq!(m[0].name, "Montréal");
    assert!(named("Montr", "CAN").is_empty());
    assert_eq!(named("New York City", "usa")[0].name, "New York City");
    // Not a later word.
    assert!(
        named("York", "USA")
            .iter()
            .all(|p| p.name != "New York City")
    );
    // Several, most populous first.
    let cambridges = named("Cambridge", "USA");
    assert!(cambridges.len() > 3);
    assert!(
        cambridges
            .windows(2)
            .all(|w| w[0].population >= w[1].population)
    );
    assert!(named("Cambridge", "XXX").is_empty());
    assert!(named("", "USA").is_empty());
    // By an alternate name.
    assert_eq!(named("Bombay", "IND")[0].name, "Mumbai");
}

#[test]
fn named_scans_and_the_index_agree() {
    let cases = [
        ("Montreal", "CAN"),
        ("Suzhou", "CHN"),
        ("Cambridge", "USA"),
        ("Bombay", "IND"),
        ("Москва", "RUS"),
        ("St. John's", "CAN"),
        ("Zurich", "CHE"),
        ("Saint-Étienne", "FRA"),
        ("San José", "CRI"),
        ("Nowhere At All", "USA"),
    ];
    let g = data::gazetteer().unwrap();
    let idx = index::index().unwrap().1;
    for (name, code) in cases {
        let c = g.country_index(code).unwrap();
        let q = fold(name);
        let mut a = named_by_scan(g, &q, c);
        let mut b = named_in_index(g, idx, &q, c);
        a.sort_unstable();
        b.sort_unstable();
        assert!(!a.is_empty() || name == "Nowhere At All", "{name}");
        assert_eq!(a, b, "{name}");
    }
}

/// Looking a name up among the places grouped by initial finds what a scan of the whole
/// country finds: for every name and alternate name of several countries' places (Latin,
/// accented, other scripts, punctuation), for the corpus's kind of values, and for misses.
#[test]
fn named_by_initial_and_the_scan_agree() {
    let g = data::gazetteer().unwrap();
    let mut checked = 0;
    for code in [
        "USA", "CAN", "CHN", "IND", "JPN", "KOR", "FRA", "DEU", "ISL", "NZL", "RUS",
    ] {
        let c = g.country_index(code).unwrap();
        let mut queries: Vec<String> = [
            "Montreal",
            "New York City",
            "st johns",
            "Ōtautahi",
            "'s-Hertogenbosch",
            "123",
            "Nowhere At All",
            "a",
            "苏州",
            "Москва",
            "서울",
            "Tabuk Province",
            "  ",
            "-",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every 7th place's name and alternate names.
        for i in g.in_country(c).step_by(7) {
            let r = &g.places[i];
            queries.push(g.name(r).to_string());
            queries.extend(g.alternates(r).map(str::to_string));
        }
        for name in queries {
            let q = fold(&name);
            if q.is_empty() {
                continue;
            }
            let mut a = named_by_scan(g, &q, c);
            let mut b = named_by_initial(g, &q, c);
            a.sort_unstable();
            a.dedup();
            b.sort_unstable();
            b.dedup();
            assert_eq!(a, b, "{name:?} in {code}");
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn nearest_named_picks_the_one_near_the_point() {
    // Near Cambridge, Ohio.
    let (p, km) = nearest_named("Cambridge", "USA", LonLat::new(-81.6, 40.03)).unwrap();
    assert_eq!(p.division, Some("Ohio"));
    assert!(km < 5.0, "{km}");
}

#[test]
fn city_candidates_try_parts_after_the_whole() {
    let c = city_candidates("Ōtautahi-Christchurch", "NZL");
    assert_eq!(c[0].name, "Christchurch");
    let c = city_candidates("Yongsan, Seoul", "KOR");
    assert_eq!(c[0].name, "Seoul");
    // Called so today, not formerly (Jiuquan was Suzhou); an old name when nothing else is.
    let c = city_candidates("Suzhou", "CHN");
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(named("Suzhou", "CHN").iter().any(|p| p.name == "Jiuquan"));
    assert_eq!(city_candidates("Bombay", "IND")[0].name, "Mumbai");
    let c = city_candidates("Saint-Étienne", "FRA");
    assert_eq!(c[0].name, "Saint-Étienne");
    assert!(city_candidates("Project Zero", "USA").is_empty());
    assert!(city_candidates("", "USA").is_empty());
}

#[test]
fn city_view_opens_at_the_most_populous_namesake() {
    let (at, zoom) = city_view("Suzhou", "CHN").unwrap();
    assert!(
        (at.lon - 120.595).abs() < 0.01 && (at.lat - 31.304).abs() < 0.01,
        "{at:?}"
    );
    assert_eq!(zoom, 10.0);
    let (at, zoom) = city_view("Susono", "JPN").unwrap();
    assert!(
        (at.lon - 138.907).abs() < 0.01 && (at.lat - 35.174).abs() < 0.01,
        "{at:?}"
    );
    assert_eq!(zoom, 13.0);
    assert!(city_view("Nowhere In Particular", "CHN").is_none());
    assert!(city_view("Suzhou", "ZZZ").is_none());
}

#[test]
fn reach_grows_with_large_cities() {
    assert_eq!(first("Susono", None).reach_km(), 50.0);
    let t = first("Tianjin", Some("CHN")).reach_km();
    assert!((85.0..95.0).contains(&t), "{t}");
}

#[test]
fn largest_in_a_box_by_population() {
    // Around the Yangtze delta.
    let r = largest_in([119.0, 30.0, 122.0, 32.5], 5);
    assert_eq!(r[0].name, "Shanghai");
    assert!(r.iter().any(|p| p.name == "Suzhou"));
    assert!(r.windows(2).all(|w| w[0].population >= w[1].population));
    // Across 180°: Fiji and New Zealand's north.
    let r = largest_in([170.0, -40.0, -175.0, -15.0], 3);
    assert_eq!(r[0].name, "Auckland");
    assert!(largest_in([0.0, 0.0, 1.0, 1.0], 0).is_empty());
    // Mid-ocean.
    assert!(largest_in([-140.0, -40.0, -139.0, -39.0], 5).is_empty());
}

/// The grid (small boxes) finds exactly what the scan in population order finds: the same
/// places in the same order, at cell edges, across 180°, at the poles and in empty boxes.
#[test]
fn largest_in_small_boxes_matches_the_scan() {
    let boxes: [[f64; 4]; 9] = [
        [120.4, 31.2, 120.8, 31.45],    // Suzhou at city zoom
        [-0.51, 51.28, 0.33, 51.69],    // London
        [2.0, 48.0, 3.0, 49.0],         // exactly one cell, edges on cell lines
        [-74.3, 40.4, -73.6, 41.0],     // New York
        [179.0, -19.0, -179.5, -16.0],  // Fiji, across 180°
        [5.0, 43.0, 15.0, 55.0],        // central Europe, many cells
        [-60.0, -90.0, -40.0, -80.0],   // Antarctica
        [-140.0, -40.0, -139.0, -39.0], // ocean
        [100.0, 20.0, 140.0, 50.0],     // 1,200 cells: still the grid
    ];
    for b in boxes {
        for limit in [1, 7, 60] {
            let fast = largest_in(b, limit);
            let scan = largest_in_by_scan(b, limit);
            let names = |v: &[Place]| v.iter().map(|p| p.id()).collect::<Vec<_>>();
            assert_eq!(names(&fast), names(&scan), "{b:?} limit {limit}");
        }
    }
    let r = largest_in([120.4, 31.2, 120.8, 31.45], 3);
    assert_eq!(r.first().map(|p| p.name), Some("Suzhou"));
    assert!(largest_in([f64::NAN, 0.0, 1.0, 1.0], 3).is_empty());
    assert!(
        largest_in([0.0, 10.0, 1.0, 5.0], 3).is_empty(),
        "south above north"
    );
}

#[test]
fn distance_is_haversine() {
    let d = distance_km(LonLat::new(0.0, 0.0), LonLat::new(1.0, 0.0));
    assert!((d - 111.19).abs() < 0.1, "{d}");
}

#[test]
fn damaged_files_are_errors_not_panics() {
    let bytes = data::embedded();
    assert_eq!(
        data::decode_bytes(b"not a gazetteer").err(),
        Some(PlacesDataError::BadHeader {
            file: "assets/world/places.bin"
        })
    );
    for cut in [
        0,
        7,
        8,
        12,
        30,
        40,
        100,
        5_000,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let prefix = bytes.get(..cut).unwrap_or_default();
        assert!(data::decode_bytes(prefix).is_err(), "cut at {cut}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    /// A copy with bytes overwritten decodes to an error or to data, never a panic.
    #[test]
    fn corrupted_copies_never_panic(edits in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 1..8)) {
        let mut copy = data::embedded().to_vec();
        for (at, byte) in edits {
            let n = copy.len();
            copy[(at * 7919) % n] = byte;
        }
        let leaked: &'static [u8] = Box::leak(copy.into_boxed_slice());
        let _ = data::decode_bytes(leaked);
    }

    /// Any query folds and searches without panicking, and results respect the limit.
    #[test]
    fn any_query_is_safe(q in "\\PC{0,12}", limit in 0usize..20) {
        let r = search(&q, None, limit);
        prop_assert!(r.len() <= limit);
    }
}

#[test]
fn every_key_is_folded_once_and_for_all() {
    // Folding is idempotent and leaves single inner spaces only, for every name.
    let g = data::gazetteer().unwrap();
    let mut names = 0;
    for r in &g.places {
        for n in std::iter::once(g.name(r)).chain(g.alternates(r)) {
            let f = fold::fold(&g.fold, n);
            assert_eq!(fold::fold(&g.fold, &f), f, "{n:?}");
            assert!(
                !f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "),
                "{n:?}"
            );
            names += 1;
        }
    }
    assert!(names > 200_000, "{names}");
}

#[test]
fn records_stay_small() {
    assert_eq!(std::mem::size_of::<data::Rec>(), 28);
}
