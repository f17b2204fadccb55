//! Gazetteer benchmarks: decoding the embedded `places.bin` and building its search index
//! (what the first use and the first search pay, once), and the lookups themselves: by
//! name for checks (scanning a country) and by prefix for search (with the index).

use casebook_core::places;
use criterion::{Criterion, criterion_group, criterion_main};

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!(
        "gazetteer first use ({} places, {:.1} MB embedded)",
        places::len(),
        places::data_size() as f64 / 1e6
    ));
    g.sample_size(10);
    g.bench_function("decode places.bin", |b| {
        b.iter(|| std::hint::black_box(places::decode_uncached(false)))
    });
    g.bench_function("decode places.bin and build the search index", |b| {
        b.iter(|| std::hint::black_box(places::decode_uncached(true)))
    });
    g.finish();
}

/// What checks pay: name lookups that scan one country's places, before any search has
/// built the index (run before `lookups`, which builds it).
fn scans(c: &mut Criterion) {
    let mut g = c.benchmark_group("gazetteer name lookups without the index (checks)");
    g.bench_function("city_candidates(\"Cambridge\", USA: 17,341 places)", |b| {
        b.iter(|| std::hint::black_box(places::city_candidates("Cambridge", "USA")))
    });
    g.bench_function("city_candidates(\"Ōtautahi-Christchurch\", NZL)", |b| {
        b.iter(|| std::hint::black_box(places::city_candidates("Ōtautahi-Christchurch", "NZL")))
    });
    g.bench_function("city_view(\"Suzhou\", CHN)", |b| {
        b.iter(|| std::hint::black_box(places::city_view("Suzhou", "CHN")))
    });
    g.finish();
}

fn lookups(c: &mut Criterion) {
    // Decode and index once, outside the measurements.
    if let Err(e) = places::verify_data() {
        eprintln!("{e}");
        return;
    }
    eprintln!(
        "gazetteer: {} places, {:.2} MB embedded, {:.1} MB of heap with the search index",
        places::len(),
        places::data_size() as f64 / 1e6,
        places::heap_bytes() as f64 / 1e6
    );
    let mut g = c.benchmark_group("gazetteer lookups");
    for query in ["s", "su", "suzhou", "sao pa", "new york", "Москва"] {
        g.bench_function(format!("search {query:?}, top 10"), |b| {
            b.iter(|| std::hint::black_box(places::search(query, None, 10)))
        });
    }
    g.bench_function("search \"san\" in USA, top 10", |b| {
        b.iter(|| std::hint::black_box(places::search("san", Some("USA"), 10)))
    });
    g.bench_function("city_candidates(\"Ōtautahi-Christchurch\", NZL)", |b| {
        b.iter(|| std::hint::black_box(places::city_candidates("Ōtautahi-Christchurch", "NZL")))
    });
    g.bench_function("city_view(\"Suzhou\", CHN)", |b| {
        b.iter(|| std::hint::black_box(places::city_view("Suzhou", "CHN")))
    });
    g.bench_function("largest_in(Yangtze delta box, 50)", |b| {
        b.iter(|| std::hint::black_box(places::largest_in([119.0, 30.0, 122.0, 32.5], 50)))
    });
    g.bench_function("largest_in(mid-ocean box, 50): grid, empty cells", |b| {
        b.iter(|| std::hint::black_box(places::largest_in([-140.0, -40.0, -139.0, -39.0], 50)))
    });
    g.bench_function("largest_in(Suzhou at city zoom, 60): grid", |b| {
        b.iter(|| std::hint::black_box(places::largest_in([120.4, 31.2, 120.8, 31.45], 60)))
    });
    g.bench_function("largest_in(the world, 60): scan in population order", |b| {
        b.iter(|| std::hint::black_box(places::largest_in([-180.0, -85.0, 180.0, 85.0], 60)))
    });
    g.finish();
}

criterion_group! {
    name = gazetteer;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = decode, scans, lookups
}
criterion_main!(gazetteer);
