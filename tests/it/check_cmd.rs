//! `os2gov check` on workbooks written in each test: exit codes, JSON, hostile files,
//! the secretariat's assessment, and workbooks saved by LibreOffice.

use crate::util::{TestDir, codes_of, json, set, soffice};
use os2gov::model::cell::Value;
use os2gov::model::filled::KravAnswer;
use os2gov::model::layout::FieldKey;
use std::io::Write;
use std::time::{Duration, Instant};

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

#[test]
fn clean_projects_pass_and_exit_0() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/os2iot.xlsx", &dir.clean("OS2iot", "N2", "Implementering"));
    dir.projektark("indsendt/sub/os2mo.xlsx", &dir.clean("OS2mo", "N3", "Produkt"));
    let run = dir.run(&["check"]).code(0);
    let out = run.stdout();
    assert!(out.contains("I alt: 2 projektark kontrolleret · 2 uden fejl · 0 fejl, 0 advarsler, 0 info"), "{out}");
    let j = json(&dir.run(&["check", "--format", "json"]).code(0));
    assert_eq!(j["projects"][0]["id"], "OS2iot");
    assert_eq!(j["projects"][0]["attained_level"], "N2");
    assert_eq!(j["projects"][1]["file"], "indsendt/sub/os2mo.xlsx");
    assert_eq!(j["projects"][1]["lights"]["groen"], 43);
}

#[test]
fn fail_on_decides_the_exit_code() {
    let dir = TestDir::new().init();
    let mut filled = dir.clean("OS2loop", "SB", "Igangsat");
    filled.answers.iter_mut().find(|a| a.id == "F4").unwrap().dokumentation = Value::Blank;
    dir.projektark("indsendt/os2loop.xlsx", &filled);
    // A warning only (KRAV-NO-EVIDENCE).
    dir.run(&["check"]).code(0);
    dir.run(&["check", "--fail-on", "warning"]).code(1);
    dir.run(&["check", "--fail-on", "never"]).code(0);
    let j = json(&dir.run(&["check", "--format", "json"]));
    assert_eq!(codes_of(&j, "OS2loop"), ["KRAV-NO-EVIDENCE"]);
    let f = &j["projects"][0]["findings"][0];
    assert_eq!(
        (f["sheet"].as_str(), f["cell"].as_str(), f["requirement"].as_str()),
        (Some("Krav"), Some("D9"), Some("F4"))
    );
    assert_eq!(f["severity"], "warning");
}

#[test]
fn messages_follow_the_language() {
    let dir = TestDir::new().init();
    // A projektark with a name and nothing else: Projekt-ID and the rest are missing.
    let named = os2gov::model::filled::Filled {
        fields: vec![(os2gov::model::layout::FieldKey::Name, os2gov::model::cell::Value::from("Et navn"))],
        ..Default::default()
    };
    dir.projektark("indsendt/navngivet.xlsx", &named);
    let en = dir.run(&["check", "--lang", "en"]).code(1).stdout();
    assert!(en.contains("must be filled in"), "{en}");
    let da = dir.run(&["check"]).code(1).stdout();
    assert!(da.contains("skal udfyldes"), "{da}");
}

#[test]
fn duplicate_project_ids_check_the_newest_and_name_the_other() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/a.xlsx", &dir.clean("OS2faktor", "N2", "Igangsat"));
    dir.projektark("indsendt/b.xlsx", &dir.clean("OS2faktor", "N2", "Igangsat"));
    // Same content and save time: the later file time (or, equal, the later name) wins.
    let a = std::fs::metadata(dir.join("indsendt/a.xlsx")).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(dir.join("indsendt/b.xlsx"))
        .unwrap()
        .set_modified(a + std::time::Duration::from_secs(5))
        .unwrap();
    let j = json(&dir.run(&["check", "--format", "json"]).code(0));
    let projects = j["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0]["file"], "indsendt/b.xlsx");
    let f = projects[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "INPUT-DUPLICATE-PROJECT")
        .expect("duplicate finding");
    assert_eq!(f["severity"], "info");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("indsendt/a.xlsx") && m.contains("indsendt/b.xlsx"), "{m}");
    assert_eq!(j["set_aside"][0]["file"], "indsendt/a.xlsx");
}

#[test]
fn previous_run_gives_level_and_phase_changes() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/p.xlsx", &dir.clean("OS2kitos", "N1", "Igangsat"));
    let before = dir.run(&["check", "--format", "json"]).code(0).stdout();
    std::fs::write(dir.join("fund-forrige.json"), before).unwrap();
    // Next month: the phase moved on without a Historik row, and the level went up.
    let mut filled = dir.clean("OS2kitos", "N1", "Igangsat");
    set(&mut filled, FieldKey::Phase, text("Implementering"));
    set(&mut filled, FieldKey::Level, text("N2"));
    dir.projektark("indsendt/p.xlsx", &filled);
    let j = json(&dir.run(&["check", "--format", "json", "--previous", "fund-forrige.json"]));
    let codes = codes_of(&j, "OS2kitos");
    assert!(codes.contains(&"LEVEL-CHANGED".to_string()), "{codes:?}");
    assert!(codes.contains(&"PHASE-CHANGED-UNLOGGED".to_string()), "{codes:?}");
    let kinds: Vec<&str> = j["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"level_changed") && kinds.contains(&"phase_changed"), "{kinds:?}");
    // A file that is not a findings JSON is refused clearly.
    std::fs::write(dir.join("noget.json"), "{}").unwrap();
    let run = dir.run(&["check", "--previous", "noget.json"]).code(2);
    assert!(run.stderr().contains("fund-JSON"), "{}", run.stderr());
}

/// Assessment by the secretariat for every requirement, chosen so that each level has
/// all four colours. The expected counts below are worked out by hand from this table.
const VURDERING: &[(&str, &str)] = &[
    // SB: 3 grøn, 2 gul, 0 rød, 1 grå.
    ("R1", "Grøn"),
    ("F1", "Grøn"),
    ("F2", "Gul"),
    ("F3", "Grå"),
    ("F4", "Grøn"),
    ("F5", "Gul"),
    // N1: 5 grøn, 2 gul, 2 rød (F7, G2: Skal), 1 grå.
    ("F6", "Grøn"),
    ("F7", "Rød"),
    ("F10", "Grøn"),
    ("F11", "Gul"),
    ("S1", "Grå"),
    ("S2", "Grøn"),
    ("G1", "Grøn"),
    ("G2", "Rød"),
    ("G3", "Gul"),
    ("G4", "Grøn"),
    // N2: 9 grøn, 4 gul, 3 rød (F12 Skal; F19, G7 Bør), 3 grå.
    ("R2", "Grøn"),
    ("R3", "Gul"),
    ("F12", "Rød"),
    ("F13", "Grå"),
    ("F14", "Grøn"),
    ("F15", "Grøn"),
    ("F16", "Gul"),
    ("F17", "Grøn"),
    ("F18", "Grøn"),
    ("F19", "Rød"),
    ("F20", "Grå"),
    ("S3", "Grøn"),
    ("S4", "Grøn"),
    ("G5", "Grøn"),
    ("G6", "Gul"),
    ("G7", "Rød"),
    ("G8", "Grøn"),
    ("G9", "Gul"),
    ("G10", "Grå"),
    // N3: 3 grøn, 2 gul, 2 rød (F22, G13: Skal), 1 grå.
    ("R4", "Grøn"),
    ("F21", "Grå"),
    ("F22", "Rød"),
    ("S5", "Gul"),
    ("G11", "Grøn"),
    ("G12", "Grøn"),
    ("G13", "Rød"),
    ("G14", "Gul"),
];

/// The answers of the hand-counted project: every requirement Ja with documentation.
fn all_ja(dir: &TestDir) -> os2gov::model::filled::Filled {
    let mut filled = dir.clean("OS2valghalla", "N3", "Implementering");
    filled.answers = VURDERING
        .iter()
        .map(|(id, _)| KravAnswer {
            id: id.to_string(),
            efterlevet: text("Ja"),
            dokumentation: text("https://os2.eu/dok"),
            ..KravAnswer::default()
        })
        .collect();
    filled
}

/// The secretariat's lights go into its register (`sekretariat.xlsx`, sheet Vurderinger:
/// Projekt-ID, Krav, Vurdering, Vurderingsgrundlag – rows typed by hand, without
/// Svar-id), which is how a published evalueringsrapport is reproduced.
#[test]
fn a_full_set_of_assessments_gives_the_hand_counted_levels() {
    let dir = TestDir::new().init();
    assert_eq!(VURDERING.len(), 43);
    let rows: Vec<(&str, &str, &str, &str, Option<&str>)> = VURDERING
        .iter()
        .map(|(id, light)| ("OS2valghalla", *id, *light, "Sekretariatets evaluering 2026", None))
        .collect();
    dir.register(&rows, &[]);
    let path = dir.projektark("indsendt/valghalla.xlsx", &all_ja(&dir));
    let j = json(&dir.run(&["check", "--format", "json"]).code(1));
    let p = &j["projects"][0];
    let counts = |level: &str| {
        let c = &p["lights_by_level"][level];
        [&c["groen"], &c["gul"], &c["roed"], &c["graa"], &c["blank"]].map(|v| v.as_u64().unwrap())
    };
    assert_eq!(counts("SB"), [3, 2, 0, 1, 0]);
    assert_eq!(counts("N1"), [5, 2, 2, 1, 0]);
    assert_eq!(counts("N2"), [9, 4, 3, 3, 0]);
    assert_eq!(counts("N3"), [3, 2, 2, 1, 0]);
    assert_eq!(p["lights"]["groen"], 20);
    assert_eq!(p["attained_level"], "SB");
    let mut blocking: Vec<String> =
        p["blocking"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    blocking.sort();
    assert_eq!(blocking, ["F12", "F22", "F7", "G13", "G2"]);
    assert_eq!(p["next_level"], "N1");
    assert_eq!(p["next_level_gap"], serde_json::json!(["F7", "G2"]));
    let codes = codes_of(&j, "OS2valghalla");
    assert!(codes.contains(&"LEVEL-BELOW-DECLARED".to_string()));
    assert!(codes.contains(&"KRAV-ASSESSMENT-DIFFERS".to_string()));
    assert!(!codes.contains(&"KRAV-ASSESSMENT-NOT-RECORDED".to_string()));
    assert_eq!(p["assessments"].as_array().unwrap().len(), 43, "the register rows applied");
    // The same with the register named on the command line, from outside the folder.
    let elsewhere = TestDir::new();
    std::fs::rename(dir.join("sekretariat.xlsx"), elsewhere.join("register.xlsx")).unwrap();
    let register = elsewhere.join("register.xlsx");
    let j = json(&dir.run(&["check", "--format", "json", "--register", register.to_str().unwrap()]).code(1));
    assert_eq!(j["projects"][0]["lights"]["groen"], 20);

    // Per level × theme, through the library: N2 × Formkrav is F12 rød, F13 grå, F14 grøn,
    // F15 grøn, F16 gul, F17 grøn, F18 grøn, F19 rød, F20 grå.
    let rules = dir.rules();
    let (project, _) =
        os2gov::load::projektark::load_projektark(&std::fs::read(&path).unwrap(), &rules, &Default::default()).unwrap();
    let loaded = os2gov::load::register::load_register(&std::fs::read(&register).unwrap(), &rules).unwrap();
    let recorded = os2gov::check::assess::Recorded { register: &loaded.register, applied_before: &[] };
    let a = os2gov::check::assess::assess_recorded(&rules, &project, &recorded);
    let n2 = rules.find_level("N2").unwrap().0;
    let formkrav = rules.themes.iter().position(|t| t == "Formkrav").unwrap();
    assert_eq!(a.by_level_theme[n2][formkrav].as_array(), [4, 1, 2, 2, 0]);
    let sum: u32 = a.by_level_theme.iter().flatten().map(|c| c.total()).sum();
    assert_eq!(sum, 43);
}

/// The twin: the same 43 lights typed into the projektark's Vurdering column (the lead's
/// file) are not believed – each is KRAV-ASSESSMENT-NOT-RECORDED and the lights are the
/// ones the answers give.
#[test]
fn the_same_lights_typed_into_the_projektark_are_not_believed() {
    let dir = TestDir::new().init();
    let mut filled = all_ja(&dir);
    for (a, (_, light)) in filled.answers.iter_mut().zip(VURDERING) {
        a.vurdering = text(light);
        a.grundlag = text("Sekretariatets evaluering 2026");
    }
    dir.projektark("indsendt/valghalla.xlsx", &filled);
    let j = json(&dir.run(&["check", "--format", "json"]).code(0));
    let p = &j["projects"][0];
    let codes = codes_of(&j, "OS2valghalla");
    let not_recorded = p["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "KRAV-ASSESSMENT-NOT-RECORDED");
    assert_eq!(not_recorded.count(), 43, "{codes:?}");
    assert_eq!(p["lights"]["roed"], 0, "{}", p["lights"]);
    assert_eq!(p["attained_level"], "N3");
    assert!(p["assessments"].as_array().unwrap().is_empty());
    assert!(!codes.contains(&"KRAV-ASSESSMENT-DIFFERS".to_string()));
}

// ---- hostile and broken files ----

fn zip_with_entry(name: &str, deflated: &[u8], uncompressed: u64, crc: u32) -> Vec<u8> {
    // A minimal zip (local header, data, central directory, end record) around raw
    // deflate data, so the test can build a 1 GB+ entry without inflating it.
    let mut out = Vec::new();
    let name = name.as_bytes();
    let u32le = |v: u32| v.to_le_bytes();
    let size32 = u32::try_from(uncompressed).unwrap();
    out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&u32le(crc));
    out.extend_from_slice(&u32le(deflated.len() as u32));
    out.extend_from_slice(&u32le(size32));
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(name);
    out.extend_from_slice(deflated);
    let cd_start = out.len() as u32;
    out.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&u32le(crc));
    out.extend_from_slice(&u32le(deflated.len() as u32));
    out.extend_from_slice(&u32le(size32));
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&u32le(0));
    out.extend_from_slice(name);
    let cd_len = out.len() as u32 - cd_start;
    out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&u32le(cd_len));
    out.extend_from_slice(&u32le(cd_start));
    out.extend_from_slice(&[0, 0]);
    out
}

/// A real deflate stream of `mb` megabytes of zeros, built from one compressed megabyte
/// repeated (a full flush makes each chunk byte-aligned and independent).
fn zeros_bomb(mb: usize) -> (Vec<u8>, u64, u32) {
    use flate2::{Compress, Compression, FlushCompress};
    let chunk = vec![0u8; 1 << 20];
    let mut c = Compress::new(Compression::best(), false);
    let mut piece = Vec::with_capacity(4096);
    c.compress_vec(&chunk, &mut piece, FlushCompress::Full).unwrap();
    let mut out = Vec::with_capacity(piece.len() * mb + 16);
    for _ in 0..mb {
        out.extend_from_slice(&piece);
    }
    out.extend_from_slice(&[0x03, 0x00]); // An empty final fixed block.
    let mut crc = crc32fast::Hasher::new();
    for _ in 0..mb {
        crc.update(&chunk);
    }
    (out, (mb as u64) << 20, crc.finalize())
}

fn encrypted_package() -> Vec<u8> {
    let mut comp = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    comp.create_stream("EncryptionInfo").unwrap().write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0]).unwrap();
    comp.create_stream("EncryptedPackage").unwrap().write_all(&[0x55; 4096]).unwrap();
    comp.flush().unwrap();
    comp.into_inner().into_inner()
}

#[test]
fn hostile_files_are_unreadable_quickly_and_the_rest_is_checked() {
    let dir = TestDir::new().init();
    let good = dir.projektark("indsendt/god.xlsx", &dir.clean("OS2rollekatalog", "N2", "Igangsat"));
    let good_bytes = std::fs::read(&good).unwrap();
    std::fs::write(dir.join("indsendt/afkortet.xlsx"), &good_bytes[..good_bytes.len() / 2]).unwrap();
    let mut seed: u64 = 0x2026_1126;
    let random: Vec<u8> = (0..20_000)
        .map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect();
    std::fs::write(dir.join("indsendt/tilfaeldig.xlsx"), random).unwrap();
    std::fs::write(dir.join("indsendt/krypteret.xlsx"), encrypted_package()).unwrap();
    // A projektark with one stray value in XFD1048576 (a 5 KB-class attack on dense readers).
    let mut sparse =
        os2gov::render::projektark::build_projektark(&dir.rules(), &dir.clean("OS2sparse", "SB", "Koncept")).unwrap();
    sparse.worksheet_from_name("Krav").unwrap().write_string(1_048_575, 16_383, "x").unwrap();
    sparse.save(dir.join("indsendt/spredt.xlsx")).unwrap();
    let (data, size, crc) = zeros_bomb(1100);
    std::fs::write(dir.join("indsendt/bombe.xlsx"), zip_with_entry("xl/worksheets/sheet1.xml", &data, size, crc))
        .unwrap();

    let start = Instant::now();
    // Bounded memory: the whole run must fit in 1 GB of address space, well below the
    // 1.1 GB the bomb would inflate to.
    let os2gov = env!("CARGO_BIN_EXE_os2gov");
    let out = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!("ulimit -v 1048576; exec '{os2gov}' check --format json --as-of 2026-11-26"))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let run = crate::util::Run { output: out }.code(3);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let j = json(&run);
    let unreadable: Vec<(&str, &str)> = j["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["file"].as_str().unwrap(), u["message"].as_str().unwrap()))
        .collect();
    let files: Vec<&str> = unreadable.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        files,
        [
            "indsendt/afkortet.xlsx",
            "indsendt/bombe.xlsx",
            "indsendt/krypteret.xlsx",
            "indsendt/spredt.xlsx",
            "indsendt/tilfaeldig.xlsx"
        ]
    );
    for (file, message) in &unreadable {
        assert!(j["unreadable"].as_array().unwrap().iter().all(|u| u["code"] == "INPUT-UNREADABLE"));
        assert!(!message.contains("panicked") && message.len() < 400, "{file}: {message}");
    }
    let message_of = |f: &str| unreadable.iter().find(|(x, _)| *x == f).unwrap().1;
    assert!(message_of("indsendt/krypteret.xlsx").contains("adgangskode"));
    assert!(message_of("indsendt/spredt.xlsx").contains("XFD1048576"));
    assert!(message_of("indsendt/bombe.xlsx").contains("sikkerhed"));
    // The good one went through.
    assert_eq!(codes_of(&j, "OS2rollekatalog"), Vec::<String>::new());
}

#[test]
fn each_hostile_file_alone_is_handled_in_under_a_second() {
    let dir = TestDir::new().init();
    let (data, size, crc) = zeros_bomb(1100);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bombe.xlsx", zip_with_entry("xl/worksheets/sheet1.xml", &data, size, crc)),
        ("krypteret.xlsx", encrypted_package()),
        ("tom.xlsx", Vec::new()),
        ("tekst.xlsx", b"Projekt-ID;Navn\nOS2x;Y\n".to_vec()),
    ];
    for (name, bytes) in cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        let start = Instant::now();
        let run = dir.run(&["check", name]).code(3);
        assert!(start.elapsed() < Duration::from_secs(1), "{name} took {:?}", start.elapsed());
        assert!(run.stdout().contains("Kunne ikke læses"), "{}", run.stdout());
    }
}

// ---- LibreOffice ----

#[test]
fn a_projektark_saved_by_libreoffice_reads_like_the_original() {
    let dir = TestDir::new().init();
    let original = dir.clean("OS2display", "N1", "Implementering");
    let a = dir.projektark("a/os2display.xlsx", &original);
    // The same content typed the way people do: date serials without a date format,
    // amounts as Danish text, answers in other cases and with spaces.
    let mut typed = original.clone();
    for (_, v) in typed.fields.iter_mut() {
        match v {
            Value::Date(d) => *v = Value::Number(os2gov::model::value::serial_from_date(*d)),
            Value::Number(n) => *v = text(&os2gov::model::value::format_amount(*n, os2gov::text::Lang::Da)),
            _ => {}
        }
    }
    for (i, a) in typed.answers.iter_mut().enumerate() {
        a.efterlevet = text(if i % 2 == 0 { "ja" } else { " JA " });
    }
    for row in typed.status.iter_mut().chain(typed.history.iter_mut()).chain(typed.participants.iter_mut()) {
        for v in row.iter_mut() {
            match v {
                Value::Date(d) => *v = text(&os2gov::model::value::format_date(*d)),
                Value::Number(n) => {
                    *v = text(&format!(
                        "{} kr.",
                        os2gov::model::value::format_amount(*n, os2gov::text::Lang::Da).trim_end_matches(" kr.")
                    ))
                }
                _ => {}
            }
        }
    }
    let b = dir.projektark("b/os2display.xlsx", &typed);
    let Some(saved) = soffice(&b, "xlsx", &dir.join("lo")) else {
        return;
    };
    let rules = dir.rules();
    let read = |p: &std::path::Path| {
        os2gov::load::projektark::load_projektark(&std::fs::read(p).unwrap(), &rules, &Default::default()).unwrap()
    };
    let (pa, fa) = read(&a);
    let (pb, fb) = read(&saved);
    assert_eq!(fa, vec![]);
    assert_eq!(fb, vec![]);
    assert_eq!(pa, pb);
    // And the checks agree.
    let ja = json(&dir.run(&["check", "--format", "json", a.to_str().unwrap()]));
    let jb = json(&dir.run(&["check", "--format", "json", saved.to_str().unwrap()]));
    assert_eq!(ja["projects"][0]["findings"], jb["projects"][0]["findings"]);
    assert_eq!(ja["projects"][0]["lights_by_level"], jb["projects"][0]["lights_by_level"]);
}

/// Projektark written before Krav.Fra fase, Historik.Niveau, the placement and baseline
/// fields, Deltagere.I drift and the Budgetændringer and Drift sheets existed (copies of
/// the November 2026 samples) still load: what is missing causes no errors – each rule
/// that needs it says so once, as a warning.
#[test]
fn projektark_from_before_the_process_columns_still_load() {
    let dir = TestDir::new().init();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projektark-2026-11");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("indsendt").join(path.file_name().unwrap())).unwrap();
    }
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never"]).code(0));
    let projects = j["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 8);
    for p in projects {
        let id = p["id"].as_str().unwrap();
        let errors: Vec<&str> = p["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        let input: Vec<&str> = p["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .filter(|c| c.starts_with("INPUT-"))
            .collect();
        assert!(input.is_empty(), "{id}: {input:?}");
        if id == "OS2autoproces" {
            // It skipped the board: the process errors are its own, not the missing columns'.
            let mut errors = errors.clone();
            errors.sort_unstable();
            assert_eq!(
                errors,
                ["LEVEL-BELOW-DECLARED", "PHASE-BOARD-APPROVAL-MISSING", "PHASE-TRANSITION-NOT-ALLOWED"]
            );
        } else {
            // A product that has never reported on operations past the critical age is an
            // error whatever the template (absence is as serious as age, issue 20).
            let errors: Vec<&str> = errors.into_iter().filter(|c| *c != "PRODUCT-DRIFT-MISSING").collect();
            assert!(errors.is_empty(), "{id}: {errors:?}");
            let mut codes = codes_of(&j, id);
            let says_what_is_missing =
                ["LEVEL-NOT-PLACED", "BUDGET-BASELINE-MISSING", "PRODUCT-DRIFT-MISSING", "PRODUCT-NOT-IN-USE"];
            codes.retain(|c| !says_what_is_missing.contains(&c.as_str()));
            assert!(codes.is_empty(), "{id}: {codes:?}");
            // Each of them once.
            let all: Vec<&str> =
                p["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
            for code in says_what_is_missing {
                assert!(all.iter().filter(|c| **c == code).count() <= 1, "{id}: {code} twice");
            }
        }
    }
    // The lights and levels read the same as when they were written.
    let level = |id: &str| projects.iter().find(|p| p["id"] == id).unwrap()["attained_level"].clone();
    assert_eq!(
        (level("OS2iot"), level("OS2klimaregnskab"), level("OS2mødebooking")),
        ("N2".into(), "N3".into(), "SB".into())
    );
}
