//! Tests of the template model.

use super::*;

fn words(min: usize, max: usize) -> Target {
    Target::Words {
        min: Some(min),
        max: Some(max),
    }
}

fn at_most(max: usize) -> Target {
    Target::Words {
        min: None,
        max: Some(max),
    }
}

fn at_least(min: usize) -> Target {
    Target::Words {
        min: Some(min),
        max: None,
    }
}

fn items(min: usize, max: usize, what: &str) -> Target {
    Target::Items {
        min,
        max,
        what: what.to_string(),
    }
}

/// Each guidance text reads as exactly its targets.
fn assert_parses(rows: Vec<(&str, Vec<Target>)>) {
    for (guidance, want) in rows {
        assert_eq!(parse_targets(guidance), want, "{guidance}");
    }
}

#[test]
fn atlas_word_targets() {
    assert_parses(vec![
        (
            "About 100 to 150 word summary of the case study.",
            vec![words(100, 150)],
        ),
        (
            "Replace the placeholder title. The text should be around 50 words.",
            vec![words(40, 60)],
        ),
        (
            "Identify 3-5 specific technology-enabled interventions the project employs or proposes. The text should be around 75-125 words. Separate into more than 1 paragraph as needed.",
            vec![
                items(3, 5, "specific technology-enabled interventions"),
                words(75, 125),
            ],
        ),
        (
            "Provide a brief biography, no more than 75 words. Identify 3-5 insights or themes from the interview.",
            vec![at_most(75), items(3, 5, "insights or themes")],
        ),
        (
            "Identify 1-3 open question(s). What is uncertain? These can be 50 words or less.",
            vec![items(1, 3, "open questions"), at_most(50)],
        ),
        (
            "Identify at least one financing scheme being used in this project or plan. About 100 words is probably a good length for this.",
            vec![items(1, usize::MAX, "financing scheme"), words(80, 120)],
        ),
        (
            "Identify 3-5 (anticipated) outcomes. What will/has the project achieved? About 50 words per is minimum, but these can be as long as you want/need.",
            vec![items(3, 5, "anticipated outcomes"), at_least(50)],
        ),
    ]);
}

#[test]
fn atlas_item_targets() {
    assert_parses(vec![
        (
            "What is the project trying to achieve? Identify 3-5 high-level goals that define the entire project.Replace the placeholder title with a succinct name for the goal.",
            vec![items(3, 5, "high-level goals")],
        ),
        (
            "Identify 3-5 key stakeholder organizations or groups. Identify 3-5 key individuals. These are people who are associated with the project.",
            vec![
                items(3, 5, "key stakeholder organizations or groups"),
                items(3, 5, "key individuals"),
            ],
        ),
        (
            "3-5 project plans, audits, reports, etc.",
            vec![items(3, 5, "project plans")],
        ),
        (
            "5-7 secondary source documents: news reports, blog posts, etc..",
            vec![items(5, 7, "secondary source documents")],
        ),
        (
            "Identify at least one financing mechanism that is being used.",
            vec![items(1, usize::MAX, "financing mechanism")],
        ),
        (
            "For plans: How does the plan address each of the three activities in digital master plans (development, engagement, implementation). For districts: How does the district employ 3-5 of the key characteristics of innovation hubs?",
            vec![items(3, 5, "key characteristics")],
        ),
        // Years, lone numbers and interviews are not targets.
        (
            "the three activities (development, engagement, implementation) of the digital masterplanning process described in the 2015 Townsend and Lorimer paper? Conduct one interview with a project leader.",
            vec![],
        ),
        ("", vec![]),
    ]);
}

#[test]
fn casebook_wording_targets() {
    assert_parses(vec![
        (
            "Sum up the whole case in about 100 to 150 words: what the project is.",
            vec![words(100, 150)],
        ),
        ("Keep the text to roughly 50 words.", vec![words(40, 60)]),
        ("in roughly 75-125 words in all.", vec![words(75, 125)]),
        ("between 75 and 125 words", vec![words(75, 125)]),
        ("75–125 words", vec![words(75, 125)]),
        ("A 100–150-word summary.", vec![words(100, 150)]),
        ("A 75-word biography.", vec![words(60, 90)]),
        (
            "Give a short biography of no more than 75 words, then 3-5 insights or themes from the conversation.",
            vec![at_most(75), items(3, 5, "insights or themes")],
        ),
        (
            "Write at least 50 words for each outcome; longer is fine.",
            vec![at_least(50)],
        ),
        ("Keep them to 50 words or fewer.", vec![at_most(50)]),
        (
            "A short entry of no more than 100 words: what the project is.",
            vec![at_most(100)],
        ),
        ("Roughly 100 words is usually enough.", vec![words(80, 120)]),
        ("Name three to five goals.", vec![items(3, 5, "goals")]),
        (
            "Pose 1-3 open questions.",
            vec![items(1, 3, "open questions")],
        ),
        (
            "Describe at least one financing mechanism in use.",
            vec![items(1, usize::MAX, "financing mechanism")],
        ),
        ("Add up to 3 images.", vec![items(0, 3, "images")]),
        (
            "show how it uses 3-5 of the key characteristics of innovation districts.",
            vec![items(3, 5, "key characteristics")],
        ),
    ]);
}

#[test]
fn targets_accept_and_describe() {
    assert!(words(100, 150).accepts(100));
    assert!(!words(100, 150).accepts(151));
    assert!(at_most(75).accepts(0));
    assert!(items(1, usize::MAX, "x").accepts(40));
    assert_eq!(words(40, 60).describe(), "40–60 words");
    assert_eq!(
        items(1, usize::MAX, "financing mechanism").describe(),
        "at least 1 financing mechanism"
    );
    assert_eq!(at_most(75).describe(), "at most 75 words");
}

#[test]
fn allowed_values_comma_format() {
    let a = AllowedValues::parse(
        "<!--\nAllowed values:\n\ntype: district, plan\n\ntags: Environment, Mobility, Food\n\n-->",
    );
    let Some(a) = a else {
        panic!("no allowed values")
    };
    assert_eq!(a.types, ["district", "plan"]);
    assert_eq!(a.tags, ["Environment", "Mobility", "Food"]);
    assert_eq!(a.statuses, ["Draft", "Review", "Complete"]);
    assert_eq!(a.templates, ["case-study", "stub"]);
    assert!(a.allows_tag("Food") && !a.allows_tag("Energy"));
}

#[test]
fn allowed_values_dash_format() {
    let text = "Allowed values:\n\ntype: district, plan\n\ntags: \n- Environment\n- Mobility\n- CivicTech\n\nstatus:\n  - Draft\n  - Complete\n";
    let Some(a) = AllowedValues::parse(text) else {
        panic!("no allowed values")
    };
    assert_eq!(a.tags, ["Environment", "Mobility", "CivicTech"]);
    assert_eq!(a.statuses, ["Draft", "Complete"]);
    assert_eq!(a.types, ["district", "plan"]);
    assert_eq!(AllowedValues::parse("just a comment"), None);
}

#[test]
fn allowed_values_from_documents() {
    // The atlas stub's hint inside a front-matter value.
    let doc = Document::from_text("---\ntitle: T\ntype: district <!-- district | plan -->\n---\n");
    let a = allowed_of(&doc);
    assert_eq!(a.types, ["district", "plan"]);
    assert_eq!(a.tags.len(), ATLAS_TAGS.len());
    // No comment at all: the atlas defaults.
    let a = allowed_of(&Document::from_text("---\ntitle: T\n---\n## Overview\n"));
    assert_eq!(a, AllowedValues::default());
    // Casebook's own format, as in the bundled templates.
    for t in bundled() {
        assert_eq!(t.allowed.types, ["district", "plan"], "{}", t.name);
        assert_eq!(t.allowed.statuses, ["Draft", "Review", "Complete"]);
        assert_eq!(t.allowed.templates, ["case-study", "stub"]);
        assert_eq!(t.allowed.tags, ATLAS_TAGS);
    }
}

fn headings(t: &Template) -> Vec<&str> {
    t.sections.iter().map(|s| s.heading.as_str()).collect()
}

/// The `## ` headings of a document, in order.
fn doc_headings(doc: &Document) -> Vec<&str> {
    doc.body()
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect()
}

fn bundled_named(name: &str) -> &'static Template {
    match bundled().iter().find(|t| t.name == name) {
        Some(t) => t,
        None => panic!("no bundled template {name}"),
    }
}

/// The keys of Casebook's bundled templates, in order: [`fields::KEY_ORDER`] without the keys
/// that only older cases (`country`, `featured_desc`) or some cases (`featured_credit_link`)
/// have.
fn template_keys() -> Vec<&'static str> {
    let keys: Vec<&str> = fields::KEY_ORDER
        .iter()
        .copied()
        .filter(|k| !["country", fields::LEGACY_ALT_KEY, "featured_credit_link"].contains(k))
        .collect();
    assert_eq!(keys.len(), 17, "{keys:?}");
    keys
}

/// What a template section's targets must be.
enum Want {
    /// Exactly this one target.
    Only(Target),
    /// This target at this place in the list.
    At(usize, Target),
    /// This many targets.
    Count(usize),
}
use Want::{At, Count, Only};

/// Checks the targets each template reads from each section's guidance.
fn assert_section_targets(rows: &[(&Template, &str, Want)]) {
    for (t, heading, want) in rows {
        let got = t
            .section(heading)
            .map(|s| s.targets.clone())
            .unwrap_or_default();
        let at = format!("{}: {heading}", t.name);
        match want {
            Only(target) => assert_eq!(got, std::slice::from_ref(target), "{at}"),
            At(i, target) => assert_eq!(got.get(*i), Some(target), "{at}"),
            Count(n) => assert_eq!(got.len(), *n, "{at}"),
        }
    }
}

/// Checks the targets of the two `### ` parts of a template's References.
fn assert_reference_targets(t: &Template, primary: Target, secondary: Target) {
    let refs = t
        .section("References")
        .map(|s| s.subsection_targets())
        .unwrap_or_default();
    assert_eq!(
        refs,
        [
            ("Primary Sources".to_string(), vec![primary]),
            ("Secondary Sources".to_string(), vec![secondary])
        ],
        "{}",
        t.name
    );
}

#[test]
fn bundled_templates_load_in_order() {
    let names: Vec<&str> = bundled().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["case-study", "case-study-2023", "stub"]);
    let cs = bundled_named("case-study");
    assert_eq!(
        headings(cs),
        [
            "Overview",
            "Goals and Aspirations",
            "Key Characteristics",
            "Stakeholders",
            "Technology Interventions",
            "Financing",
            "Outcomes",
            "Open Questions",
            "References"
        ]
    );
    let old = bundled_named("case-study-2023");
    assert_eq!(
        headings(old),
        [
            "Overview",
            "Key Characteristics",
            "Goals and Aspirations",
            "Technology Interventions",
            "Stakeholders",
            "Leadership",
            "Financing",
            "Outcomes",
            "Open Questions",
            "References"
        ]
    );
    assert_eq!(headings(bundled_named("stub")), ["Overview", "References"]);
    for t in bundled() {
        assert_eq!(t.key_order, template_keys(), "{}", t.name);
        assert_eq!(t.source, TemplateSource::Bundled);
        assert!(
            t.sections.iter().all(|s| s.guidance.is_some()),
            "{}",
            t.name
        );
        let Some((file, geo)) = &t.example_geojson else {
            panic!("no example")
        };
        assert_eq!(file, "example.geojson");
        let v: serde_json::Value = serde_json::from_str(geo).unwrap_or_default();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"][0]["geometry"]["type"], "Polygon");
        assert_eq!(
            t.document
                .value("geography")
                .and_then(fields::as_text)
                .as_deref(),
            Some("./example.geojson")
        );
    }
    // Targets read from Casebook's own wording.
    assert_section_targets(&[
        (cs, "Overview", Only(words(100, 150))),
        (
            cs,
            "goals and aspirations",
            Only(items(3, 5, "high-level goals")),
        ),
        (cs, "Open Questions", Only(items(1, 3, "open questions"))),
        (
            cs,
            "Financing",
            Only(items(1, usize::MAX, "financing mechanism")),
        ),
        (cs, "Stakeholders", Count(2)),
        (old, "Leadership", At(0, at_most(75))),
        (old, "Technology Interventions", At(1, words(75, 125))),
        (old, "Open Questions", At(1, at_most(50))),
    ]);
    assert_reference_targets(
        cs,
        items(3, 5, "primary sources"),
        items(5, 7, "secondary sources"),
    );
}

/// The sample case shipped with Casebook.
const SAMPLE: &str = include_str!("../../../../assets/sample/gbr-kings-cross/index.md");
const SAMPLE_GEOJSON: &str =
    include_str!("../../../../assets/sample/gbr-kings-cross/gbr-kings-cross.geojson");
const SAMPLE_IMAGE: &[u8] =
    include_bytes!("../../../../assets/sample/gbr-kings-cross/kings-cross-illustration.png");

#[test]
fn placeholders_found_in_templates_not_in_sample() {
    for t in bundled() {
        let p = &t.placeholders;
        assert!(!p.is_empty(), "{}", t.name);
        for (i, s) in t.document.body().sections.iter().enumerate() {
            let text = t.document.section_text(i).unwrap_or_default();
            assert!(
                !p.found_in(&text).is_empty(),
                "{}: {} has no placeholder",
                t.name,
                s.heading
            );
        }
        let sample = Document::from_text(SAMPLE);
        for (i, s) in sample.body().sections.iter().enumerate() {
            let text = sample.section_text(i).unwrap_or_default();
            assert_eq!(
                p.found_in(&text),
                Vec::<String>::new(),
                "{}: {}",
                t.name,
                s.heading
            );
        }
        assert_eq!(p.values_found_in(&sample), Vec::<String>::new());
        assert!(
            p.values_found_in(&t.document)
                .contains(&"author".to_string())
        );
    }
    let p = &bundled_named("case-study").placeholders;
    assert!(p.labels.iter().any(|l| l == "Goal 1"));
    assert!(p.labels.iter().any(|l| l == "Organization name"));
    assert!(p.links.iter().any(|l| l == "https://example.org"));
    assert_eq!(p.found_in("**Goal 2:** Something real."), ["Goal 2"]);
    assert_eq!(p.found_in("**2. Goal 2.** Something real."), ["Goal 2"]);
    assert_eq!(
        p.found_in("The plan's goal 1 is real text."),
        Vec::<String>::new()
    );
}

#[test]
fn atlas_placeholders() {
    let atlas = "---\ntitle: T\n---\n## Goals\n\n<!-- g -->\n\n**Goal 1**.  Lores mumps dolor sit mate, nominal id xiv. Dec ore offend it man re.\n\n## Stakeholders\n\n**Stakeholder 1**. Lores mumps dolor sit mate, nominal id xiv. [Organization Name](https://www.markdownguide.org/basic-syntax/)\n\n## Financing\n\n**Financing Scheme**. Lores mumps dolor sit mate, nominal id xiv.\n\n## References\n\n---\n\n### Primary Sources\n\n<!-- 3-5 project plans -->\n\n- Create a list by starting a line with `+`, `-`, or `*`\n- Very easy!\n";
    let t = Template::from_text("case-2024", TemplateSource::Bundled, atlas);
    let p = &t.placeholders;
    assert_eq!(p.labels, ["Goal 1", "Stakeholder 1", "Organization Name"]);
    assert_eq!(
        p.paragraphs,
        [
            "lores mumps dolor sit mate nominal id xiv",
            "create a list by starting a line with"
        ]
    );
    assert_eq!(
        p.found_in(
            "**Financing Scheme**. Real text. Then Lores mumps dolor sit mate, nominal id xiv. Dec."
        ),
        ["lores mumps dolor sit mate nominal id xiv"]
    );
    assert_eq!(
        p.found_in("**1. Name of Interviewee.** x"),
        Vec::<String>::new()
    );
    assert_eq!(
        t.sections[3].subsections,
        [(
            "Primary Sources".to_string(),
            Some("3-5 project plans".to_string())
        )]
    );
}

#[test]
fn item_counts() {
    assert_eq!(item_count("**A**. x\n\n**B**. y\n\nplain\n\n**C**: z"), 3);
    assert_eq!(item_count("- a\n- b\n  - nested\n1. c"), 3);
    assert_eq!(item_count("<!-- **X** -->\nplain"), 0);
}

fn doc_with(template: &str, headings: &[&str]) -> Document {
    let mut text = format!("---\ntitle: X\ntemplate: {template}\n---\n");
    for h in headings {
        text.push_str(&format!("\n## {h}\n\nText.\n"));
    }
    Document::from_text(&text)
}

#[test]
fn choosing_a_template() {
    let set = TemplateSet::bundled();
    assert_eq!(set.current().name, "case-study");
    assert_eq!(
        set.for_document(&Document::from_text(SAMPLE)).name,
        "case-study"
    );
    let old = doc_with(
        "case-study",
        &[
            "Overview",
            "Key Characteristics",
            "Goals and Aspirations",
            "Technology Interventions",
            "Stakeholders",
            "Financing",
        ],
    );
    assert_eq!(set.for_document(&old).name, "case-study-2023");
    let lead = doc_with(
        "case-study",
        &["Overview", "Goals and Aspirations", "Leadership"],
    );
    assert_eq!(set.for_document(&lead).name, "case-study-2023");
    let new = doc_with(
        "case-study",
        &["Overview", "Goals and Aspirations", "Key Characteristics"],
    );
    assert_eq!(set.for_document(&new).name, "case-study");
    assert_eq!(
        set.for_document(&doc_with("case-study", &[])).name,
        "case-study"
    );
    assert_eq!(
        set.for_document(&doc_with("stub", &["Overview"])).name,
        "stub"
    );
    assert_eq!(
        set.for_document(&doc_with("case-study-2023", &[])).name,
        "case-study-2023"
    );

    // Atlas names, as loaded from a checkout's templates/ folder.
    let dir = |n: &str| TemplateSource::Dir(PathBuf::from(n));
    let atlas = TemplateSet::new(vec![
        Template::from_text("case-2023", dir("case-2023"), BUNDLED_SOURCES[1].1),
        Template::from_text("case-2024", dir("case-2024"), BUNDLED_SOURCES[0].1),
        Template::from_text("stub", dir("stub"), BUNDLED_SOURCES[2].1),
    ]);
    assert_eq!(atlas.current().name, "case-2024");
    assert_eq!(atlas.for_document(&old).name, "case-2023");
    assert_eq!(atlas.for_document(&new).name, "case-2024");
    assert_eq!(atlas.for_document(&doc_with("stub", &[])).name, "stub");
    // Mixed with the bundled ones, the folder's templates are preferred.
    let mut mixed = TemplateSet::bundled();
    mixed.add(atlas.all().to_vec());
    assert_eq!(mixed.all().len(), 5);
    assert_eq!(mixed.for_document(&new).name, "case-2024");
    assert_eq!(mixed.for_document(&old).name, "case-2023");
    assert!(matches!(
        mixed.for_document(&doc_with("stub", &[])).source,
        TemplateSource::Dir(_)
    ));
    assert_eq!(
        mixed.get("CASE-STUDY").map(|t| t.name.as_str()),
        Some("case-study")
    );
}

#[test]
fn missing_sections_and_insertion() {
    let t = bundled_named("case-study");
    let doc = doc_with(
        "case-study",
        &["Overview", "Stakeholders", "Custom", "References"],
    );
    let missing: Vec<&str> = t
        .missing_sections(&doc)
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "Goals and Aspirations",
            "Key Characteristics",
            "Technology Interventions",
            "Financing",
            "Outcomes",
            "Open Questions"
        ]
    );
    assert_eq!(t.insert_before(&doc, "Goals and Aspirations"), Some(1));
    assert_eq!(t.insert_before(&doc, "Open Questions"), Some(3));
    let short = doc_with("case-study", &["Overview"]);
    assert_eq!(t.insert_before(&short, "References"), None);
    assert_eq!(t.insert_before(&short, "Not a section"), None);
    assert_eq!(t.position_of("open questions"), Some(7));
    assert!(t.missing_sections(&Document::from_text(SAMPLE)).is_empty());
}

#[test]
fn new_case_round_trips() {
    for t in bundled() {
        let text = new_case_text(
            t,
            "Harbour: a new quarter",
            "Oslo",
            "nor",
            "./nor-harbour.geojson",
        );
        let doc = Document::from_text(&text);
        assert_eq!(doc.to_bytes(), text.as_bytes());
        let fm = match doc.front_matter() {
            Some(fm) => fm,
            None => panic!("no front matter"),
        };
        assert!(fm.problems.is_empty(), "{:?}", fm.problems);
        let get = |k: &str| doc.value(k).and_then(fields::as_text);
        assert_eq!(get("title").as_deref(), Some("Harbour: a new quarter"));
        assert_eq!(get("city").as_deref(), Some("Oslo"));
        assert_eq!(get("country_code").as_deref(), Some("NOR"));
        assert_eq!(get("status").as_deref(), Some("Draft"));
        assert_eq!(get("geography").as_deref(), Some("./nor-harbour.geojson"));
        let expected = if t.is_stub() { "stub" } else { "case-study" };
        assert_eq!(get("template").as_deref(), Some(expected));
        assert_eq!(doc.value("tags"), Some(&Value::Sequence(vec![])));
        for k in [
            "author",
            "description",
            "centroid",
            "featured_image",
            "year_start",
        ] {
            assert_eq!(doc.value(k), Some(&Value::Null), "{k} in {}", t.name);
            assert!(fm.entry(k).is_some(), "{k} kept as a key");
        }
        let keys: Vec<&str> = fm.keys();
        assert_eq!(keys, template_keys());
        // The body is untouched: guidance, allowed values and placeholders stay.
        assert_eq!(
            doc.text()[doc.body().range.clone()],
            t.document.text()[t.document.body().range.clone()]
        );
        assert_eq!(allowed_of(&doc), t.allowed);
        let set = TemplateSet::bundled();
        assert_eq!(set.for_document(&doc).name, t.name);
        let first = doc.section_text(0).unwrap_or_default();
        assert!(!t.placeholders.found_in(&first).is_empty());
    }
}

#[test]
fn new_case_from_template_without_template_key() {
    let t = Template::from_text(
        "case-2024",
        TemplateSource::Dir(PathBuf::from("case-2024")),
        "---\ntitle: Case Study Template\ndescription: Lorem\nstatus: Draft\ncity:  \ncountry_code: USA\ntags: \ngeography: ./example.geojson\n---\n<!--\nAllowed values:\n\ntype: district, plan\n-->\n\n## Overview\n\n<!-- About 100 to 150 word summary of the case study. -->\n\nText.\n",
    );
    let text = new_case_text(&t, "T", "C", "usa", "./x.geojson");
    assert!(
        text.starts_with(
            "---\ntitle: T\ndescription:\ntemplate: case-study\nstatus: Draft\ncity: C\n"
        ),
        "{text}"
    );
    let bare = Template::from_text("plain", TemplateSource::Bundled, "## Overview\n\nx\n");
    let text = new_case_text(&bare, "T", "C", "usa", "./x.geojson");
    let doc = Document::from_text(&text);
    assert_eq!(
        doc.value("title").and_then(fields::as_text).as_deref(),
        Some("T")
    );
    assert_eq!(doc.body().sections.len(), 1);
}

/// Word counts of the sample's sections (printed with `--nocapture`).
#[test]
fn sample_case_meets_its_template() {
    let doc = Document::from_text(SAMPLE);
    let set = TemplateSet::bundled();
    let t = set.for_document(&doc);
    assert_eq!(t.name, "case-study");
    assert_eq!(doc_headings(&doc), headings(t));
    for (i, s) in doc.body().sections.iter().enumerate() {
        let text = doc.section_text(i).unwrap_or_default();
        let n = crate::sections::words(&text);
        let count = item_count(&text);
        eprintln!("{:<26} {n:>4} words, {count} items", s.heading);
        let Some(ts) = t.section(&s.heading) else {
            panic!("unknown section")
        };
        for target in &ts.targets {
            let got = match target {
                Target::Words { .. } => n,
                Target::Items { what, .. } if what == "key individuals" => continue,
                Target::Items { .. } => count,
            };
            assert!(
                target.accepts(got),
                "{}: {got} for {}",
                s.heading,
                target.describe()
            );
        }
        // Subsections: count the list items under each `###`.
        for (h, sub_targets) in ts.subsection_targets() {
            let Some(start) = text.find(&format!("### {h}")) else {
                panic!("no {h}")
            };
            let rest = &text[start + 4 + h.len()..];
            let end = rest.find("\n### ").unwrap_or(rest.len());
            let n = item_count(&rest[..end]);
            eprintln!("  {h:<24} {n} items");
            for target in sub_targets {
                assert!(target.accepts(n), "{h}: {n} for {}", target.describe());
            }
        }
    }
    // Front matter: complete, allowed values, centroid inside the boundary.
    let get = |k: &str| doc.value(k).and_then(fields::as_text).unwrap_or_default();
    for k in template_keys() {
        if k != "tags" && k != "centroid" {
            assert!(!get(k).trim().is_empty(), "{k} is empty");
        }
    }
    assert_eq!(doc.front_matter().map(|f| f.keys()), Some(template_keys()));
    assert!(t.allowed.allows_type(&get("type")));
    assert!(["Review", "Complete"].contains(&get("status").as_str()));
    assert!(t.allowed.allows_template(&get("template")));
    let (tags, _) = fields::tags_of(doc.value("tags"));
    assert!((1..=3).contains(&tags.len()));
    assert!(tags.iter().all(|g| t.allowed.allows_tag(g)));
    let Some(c) = doc.value("centroid").and_then(fields::Centroid::from_value) else {
        panic!("no centroid")
    };
    let v: serde_json::Value = serde_json::from_str(SAMPLE_GEOJSON).unwrap_or_default();
    let ring: Vec<(f64, f64)> = v["features"][0]["geometry"]["coordinates"][0]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p[0].as_f64().unwrap_or(f64::NAN),
                        p[1].as_f64().unwrap_or(f64::NAN),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!((20..=61).contains(&ring.len()), "{} vertices", ring.len());
    assert_eq!(ring.first(), ring.last());
    let signed: f64 = ring
        .windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum();
    assert!(signed > 0.0, "ring must be counter-clockwise");
    let mut inside = false;
    for w in ring.windows(2) {
        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
        if (y1 > c.lat) != (y2 > c.lat) && c.lon < x1 + (c.lat - y1) / (y2 - y1) * (x2 - x1) {
            inside = !inside;
        }
    }
    assert!(inside, "centroid outside the boundary");
    assert_eq!(get("geography"), "./gbr-kings-cross.geojson");
    // The featured image: a landscape PNG under 200 KB.
    assert_eq!(get("featured_image"), "./kings-cross-illustration.png");
    assert!(SAMPLE_IMAGE.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(SAMPLE_IMAGE.len() < 200 * 1024);
    let be = |i: usize| {
        u32::from_be_bytes([
            SAMPLE_IMAGE[i],
            SAMPLE_IMAGE[i + 1],
            SAMPLE_IMAGE[i + 2],
            SAMPLE_IMAGE[i + 3],
        ])
    };
    assert_eq!((be(16), be(20)), (1200, 675));
    assert_eq!(get("featured_credit"), "Casebook sample illustration");
}

/// The atlas's own templates (at `CASEBOOK_CORPUS`/templates) load and read as expected.
#[test]
fn corpus_templates() {
    let Some(root) = std::env::var_os("CASEBOOK_CORPUS").map(PathBuf::from) else {
        eprintln!("CASEBOOK_CORPUS is not set: corpus template test skipped");
        return;
    };
    let dir = root.join("templates");
    let ts = match load_dir(&dir) {
        Ok(ts) => ts,
        Err(e) => panic!("{e}"),
    };
    let names: Vec<&str> = ts.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["case-2023", "case-2024", "stub"]);
    let by = |n: &str| match ts.iter().find(|t| t.name == n) {
        Some(t) => t,
        None => panic!("no {n}"),
    };
    let new = by("case-2024");
    let old = by("case-2023");
    let stub = by("stub");
    assert!(new.example_geojson.is_some() && stub.example_geojson.is_none());
    assert_section_targets(&[
        (new, "Overview", Only(words(100, 150))),
        (
            new,
            "Goals and Aspirations",
            Only(items(3, 5, "high-level goals")),
        ),
        (
            new,
            "Key Characteristics",
            Only(items(3, 5, "key characteristics")),
        ),
        (
            new,
            "Financing",
            Only(items(1, usize::MAX, "financing mechanism")),
        ),
        (new, "Open Questions", Only(items(1, 3, "open questions"))),
        (new, "Outcomes", Only(items(3, 5, "anticipated outcomes"))),
        (old, "Goals and Aspirations", Only(words(40, 60))),
        (old, "Leadership", At(0, at_most(75))),
        (old, "Financing", At(1, words(80, 120))),
    ]);
    assert_reference_targets(
        new,
        items(3, 5, "project plans"),
        items(5, 7, "secondary source documents"),
    );
    assert_eq!(new.allowed.tags, ATLAS_TAGS);
    assert_eq!(stub.allowed.types, ["district", "plan"]);
    assert!(new.placeholders.labels.iter().any(|l| l == "Goal 1"));
    assert!(
        !new.placeholders
            .labels
            .iter()
            .any(|l| l == "Financing Scheme")
    );
    assert!(
        new.placeholders
            .paragraphs
            .iter()
            .any(|p| p.starts_with("lores mumps"))
    );
    assert!(
        new.key_order
            .starts_with(&["title".to_string(), "description".to_string()])
    );

    // Every case gets a template; Complete cases keep no "Lores mumps" filler.
    let set = match TemplateSet::with_dir(&dir) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let Ok(entries) = std::fs::read_dir(root.join("cases")) else {
        return;
    };
    let mut chosen = std::collections::BTreeMap::<String, usize>::new();
    for e in entries.flatten() {
        let Ok(bytes) = std::fs::read(e.path().join("index.md")) else {
            continue;
        };
        let doc = Document::from_bytes(&bytes);
        let t = set.for_document(&doc);
        *chosen.entry(t.name.clone()).or_default() += 1;
        let b = doc.body();
        let old_order = matches!(
            (b.find("Key Characteristics"), b.find("Goals and Aspirations")),
            (Some(k), Some(g)) if k < g
        );
        let leadership = b.find("Leadership").is_some();
        if old_order
            && leadership
            && doc.value("template").and_then(fields::as_text).as_deref() != Some("stub")
        {
            assert_eq!(t.name, "case-2023", "{}", e.path().display());
        }
        if e.file_name() == "tha-chonburi-eec" {
            // The current order and guidance, with a Leadership section added.
            assert_eq!(t.name, "case-2024");
        }
        for (i, _) in doc.body().sections.iter().enumerate() {
            let text = doc.section_text(i).unwrap_or_default();
            assert!(
                !t.placeholders
                    .found_in(&text)
                    .iter()
                    .any(|f| f.starts_with("lores")),
                "{}",
                e.path().display()
            );
        }
    }
    eprintln!("templates chosen for the corpus cases: {chosen:?}");
    let atlas = match TemplateSet::load(None, Some(&root.join("cases"))) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert!(atlas.get("case-2024").is_some());
    let err = load_dir(&root.join("no-such-folder")).map(|_| ());
    assert!(matches!(&err, Err(e) if e.to_string().contains("no-such-folder")));
}

#[test]
fn upgrading_a_stub_adds_sections_in_template_order() {
    let set = TemplateSet::bundled();
    let Some(full) = set.get("case-study") else {
        panic!("no case-study template")
    };
    let stub = "---\ntitle: Short\ntemplate: stub\n---\n\n## Overview\n\nA short text.\n\n## References\n\n- A source\n";
    let mut doc = Document::from_text(stub);
    let Edit::Batch(edits) = upgrade_edit(&doc, full) else {
        panic!("not a batch")
    };
    for e in &edits {
        let Ok(Some(c)) = doc.change_for(e) else {
            panic!("edit {e:?} failed")
        };
        let Ok(_) = doc.apply_change(&c) else {
            panic!("apply failed")
        };
    }
    assert_eq!(doc_headings(&doc), headings(full));
    assert_eq!(
        doc.text_of(crate::fields::Field::Template).as_deref(),
        Some("case-study")
    );
    assert!(doc.text().contains("A short text."));
    assert!(
        doc.body()
            .sections
            .iter()
            .filter(|s| s.guidance.is_some())
            .count()
            >= full.sections.len() - 2
    );
}

/// An atlas-like checkout written for these tests: `templates/` (a dated full template and a
/// stub, in the atlas's layout) beside `cases/` with one case.
fn atlas_checkout(root: &Path) -> std::io::Result<PathBuf> {
    let full = "---\ntitle: Template title\nstatus: Draft\ncity: \ncountry_code: USA\ntags: \n---\n\n## Overview\n\n<!-- About 100 to 150 words. -->\n\nZorp quibble fandango wimble trastle morf plink.\n\n## Financing\n\n<!-- Identify at least one financing mechanism. -->\n\n**Scheme 1**. Zorp quibble fandango wimble trastle morf plink.\n";
    std::fs::create_dir_all(root.join("templates/case-2030"))?;
    std::fs::write(root.join("templates/case-2030/index.md"), full)?;
    std::fs::create_dir_all(root.join("templates/stub"))?;
    std::fs::write(
        root.join("templates/stub/stub-template.md"),
        "---\ntitle: Stub\nstatus: Review\n---\n",
    )?;
    let case = root.join("cases/nor-fjord");
    std::fs::create_dir_all(&case)?;
    std::fs::write(
        case.join("index.md"),
        "---\ntitle: Fjord\ntemplate: case-study\n---\n\n## Overview\n\nText.\n\n## Financing\n\nMore.\n",
    )?;
    Ok(case)
}

#[test]
fn one_source_of_templates_per_workspace() -> std::io::Result<()> {
    let t = tempfile::tempdir()?;
    let root = t.path().join("atlas");
    let case = atlas_checkout(&root)?;
    // However the case is reached, only the atlas's templates, and the same one chosen.
    let doc = Document::from_bytes(&std::fs::read(case.join("index.md"))?);
    for near in [
        case.clone(),
        case.join("index.md"),
        root.join("cases"),
        root.clone(),
    ] {
        let set = TemplateSet::load(None, Some(&near)).map_err(std::io::Error::other)?;
        let names: Vec<&str> = set.all().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["case-2030", "stub"], "near {}", near.display());
        assert_eq!(set.for_document(&doc).name, "case-2030");
        assert_eq!(set.atlas(), Some(root.as_path()));
        assert!(set.when_to_use(&set.all()[0]).contains("current"));
        assert!(set.when_to_use(&set.all()[1]).contains("short entry"));
    }
    // Outside an atlas: the bundled ones.
    let outside = t.path().join("elsewhere");
    std::fs::create_dir_all(&outside)?;
    let set = TemplateSet::load(None, Some(&outside)).map_err(std::io::Error::other)?;
    assert!(set.get("case-study").is_some() && set.get("case-2030").is_none());
    assert_eq!(set.atlas(), None);
    let older = set
        .get("case-study-2023")
        .map(|t| set.when_to_use(t))
        .unwrap_or_default();
    assert!(older.contains("older"), "{older}");
    // An explicit folder adds to the bundled ones.
    let set = TemplateSet::load(Some(&root.join("templates")), Some(&outside))
        .map_err(std::io::Error::other)?;
    assert!(set.get("case-study").is_some() && set.get("case-2030").is_some());
    Ok(())
}

#[test]
fn atlas_templates_flag_casebooks_own_placeholders() -> std::io::Result<()> {
    let t = tempfile::tempdir()?;
    let root = t.path().join("atlas");
    let case = atlas_checkout(&root)?;
    let set = TemplateSet::load(None, Some(&case)).map_err(std::io::Error::other)?;
    let atlas_full = set.current();
    // Its own placeholders.
    assert!(
        !atlas_full
            .placeholders
            .found_in("**Scheme 1**. Zorp quibble fandango wimble trastle morf plink.")
            .is_empty()
    );
    // And the text of Casebook's bundled case-study template.
    let bundled = bundled_named("case-study");
    let financing = bundled
        .document
        .body()
        .find("Financing")
        .and_then(|i| bundled.document.section_text(i))
        .unwrap_or_default();
    let found = atlas_full.placeholders.found_in(&financing);
    assert!(
        found.iter().any(|f| f.starts_with("Financing mechanism")),
        "{found:?}"
    );
    // Front-matter example values stay the atlas template's own.
    assert!(
        !atlas_full
            .placeholders
            .values
            .iter()
            .any(|(_, v)| v.contains("Your name"))
    );
    Ok(())
}
