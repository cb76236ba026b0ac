//! Crafted workbooks and inbox tricks against the whole binary: each of the attacks of
//! the "hardening, round two" review is a test here (the lock's pid reuse is in
//! `run_cmd.rs`, interrupted sending and the ledger key in `mail_e2e.rs`), and the last
//! test runs them all in one batch under a memory limit. One crafted file must never stop
//! the monthly run, leak a file, or cost more than a bounded amount of memory and output.

use crate::util::{TestDir, measured, set};
use os2gov::model::cell::Value;
use os2gov::model::layout::FieldKey;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

/// The depth of the nesting attacks (the review used 40,000).
const DEPTH: usize = 100_000;
/// The memory a whole batch may use, and the address space it runs in (`ulimit -v`).
const PEAK_MB: f64 = 500.0;
const ADDRESS_SPACE: u64 = 1536 * 1024 * 1024;

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A working folder with an empty inbox.
fn workdir() -> TestDir {
    TestDir::new().init()
}

/// A clean projektark with this ID (and lead e-mail), as bytes; `edit` may change the
/// workbook before it is saved.
fn workbook(
    dir: &TestDir,
    id: &str,
    edit: impl FnOnce(&mut os2gov::model::filled::Filled, &mut Vec<NoteAt>),
) -> Vec<u8> {
    let rules = dir.rules();
    let mut filled = dir.clean(id, "N1", "Igangsat");
    set(&mut filled, FieldKey::LeadEmail, text("leder@kommune.example"));
    let mut notes = Vec::new();
    edit(&mut filled, &mut notes);
    let mut wb = os2gov::render::projektark::build_projektark(&rules, &filled).unwrap();
    for (sheet, row, col, note) in notes {
        wb.worksheet_from_name(sheet).unwrap().insert_note(row, col, &rust_xlsxwriter::Note::new(note)).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

type NoteAt = (&'static str, u32, u16, &'static str);

fn clean(dir: &TestDir, id: &str) -> Vec<u8> {
    workbook(dir, id, |_, _| {})
}

/// The package with `part` changed by `change` (or added, when missing), deflated.
fn with_part(bytes: &[u8], part: &str, change: impl FnOnce(Option<String>) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_level(Some(1));
    let mut change = Some(change);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == part {
            let f = change.take().unwrap();
            content = f(Some(String::from_utf8(content).unwrap())).into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&content).unwrap();
    }
    if let Some(f) = change {
        out.start_file(part, options).unwrap();
        out.write_all(f(None).as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn part_of(bytes: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// `depth` nested elements put just before the last end tag of `part`.
fn deepened(bytes: &[u8], part: &str) -> Vec<u8> {
    with_part(bytes, part, |src| {
        let src = src.unwrap();
        let at = src.rfind("</").unwrap();
        format!("{}{}{}{}", &src[..at], "<d>".repeat(DEPTH), "</d>".repeat(DEPTH), &src[at..])
    })
}

/// The nesting attack on every part the review named: (file name, part).
const DEEP_PARTS: [(&str, &str); 6] = [
    ("dyb-contenttypes.xlsx", "[Content_Types].xml"),
    ("dyb-styles.xlsx", "xl/styles.xml"),
    ("dyb-workbook.xlsx", "xl/workbook.xml"),
    ("dyb-workbook-rels.xlsx", "xl/_rels/workbook.xml.rels"),
    ("dyb-rels.xlsx", "_rels/.rels"),
    ("dyb-noter.xlsx", "xl/comments1.xml"),
];

/// Writes the nesting attacks into `inbox`, one per part, each with its own ID.
fn write_deep(dir: &TestDir, inbox: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, (file, part)) in DEEP_PARTS.iter().enumerate() {
        let id = format!("DYB{i}");
        // A note on Projekt!B3, so the workbook has a comments part that is read.
        let bytes = workbook(dir, &id, |_, notes| notes.push(("Projekt", 2, 1, "Brugerens egen note")));
        assert!(part_of(&bytes, part).contains('<'), "{part} exists");
        std::fs::write(inbox.join(file), deepened(&bytes, part)).unwrap();
        ids.push(id);
    }
    ids
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `file: message` of each unreadable file (the message gives the reason; the file is
/// beside it).
fn unreadable_messages(json: &serde_json::Value) -> Vec<String> {
    json["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| format!("{}: {}", u["file"].as_str().unwrap(), u["message"].as_str().unwrap()))
        .collect()
}

// ---- 1. deep nesting -----------------------------------------------------------------------

#[test]
fn parts_nested_100000_deep_never_stop_run_annotate_digest_or_check() {
    let dir = workdir();
    let ids = write_deep(&dir, &dir.join("indsendt"));
    std::fs::write(dir.join("indsendt/ren.xlsx"), clean(&dir, "REN")).unwrap();
    let run = dir.run(&["run", "--no-progress"]).code(0);
    assert!(!run.stderr().contains("overflow"), "{}", run.stderr());
    // Every deep workbook was read, checked and annotated (the user's content kept).
    let findings = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    for id in ids.iter().chain(std::iter::once(&"REN".to_string())) {
        assert!(findings["projects"].as_array().unwrap().iter().any(|p| p["id"] == id.as_str()), "{id} checked");
        let copy = std::fs::read(dir.join(&format!("ud/2026-11/annoteret/{id}.xlsx"))).unwrap();
        let (project, _) = os2gov::load::projektark::load_projektark(&copy, &dir.rules(), &Default::default())
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(project.id(), Some(id.as_str()));
    }
    for (i, (_, part)) in DEEP_PARTS.iter().enumerate() {
        let copy = std::fs::read(dir.join(&format!("ud/2026-11/annoteret/DYB{i}.xlsx"))).unwrap();
        assert!(part_of(&copy, part).contains(&"<d>".repeat(DEPTH)), "DYB{i}: {part} kept");
    }
    dir.run(&["annotate", "indsendt", "-o", "kopier"]).code(0);
    dir.run(&["digest"]).code(0);
    dir.run(&["check", "--fail-on", "never"]).code(0);
}

// ---- 2. amplification ----------------------------------------------------------------------

/// A workbook whose Navn is `name` as stored in the shared strings (raw XML text), beyond
/// what rust_xlsxwriter would write.
fn with_raw_name(dir: &TestDir, id: &str, raw: &str) -> Vec<u8> {
    let bytes = workbook(dir, id, |f, _| set(f, FieldKey::Name, text("NAVN-ERSTATTES")));
    with_part(&bytes, "xl/sharedStrings.xml", |src| src.unwrap().replacen("NAVN-ERSTATTES", raw, 1))
}

fn huge_name_workbook(dir: &TestDir, id: &str) -> Vec<u8> {
    with_raw_name(dir, id, &"a".repeat(200 * 1024 * 1024))
}

#[test]
fn a_200_mb_text_is_refused_in_bounded_memory_without_big_outputs() {
    let dir = workdir();
    let bytes = huge_name_workbook(&dir, "STOR");
    assert!(bytes.len() < 3 * 1024 * 1024, "a small file: {} bytes", bytes.len());
    std::fs::write(dir.join("indsendt/stor-tekst.xlsx"), &bytes).unwrap();
    std::fs::write(dir.join("indsendt/ren.xlsx"), clean(&dir, "REN")).unwrap();
    let m = measured(dir.command(&["run", "--no-progress"]), Some(ADDRESS_SPACE));
    assert_eq!(m.code, Some(3), "{}\n{}", m.stdout, m.stderr);
    assert!(m.peak_mb < 150.0, "peak {} MB", m.peak_mb);
    assert!(m.stdout.contains("stor-tekst.xlsx") && m.stdout.contains("tekst på over 1 MB"), "{}", m.stdout);
    // Nothing the run wrote is large; the input copy is the (small) file itself.
    for f in files_under(&dir.join("ud/2026-11")) {
        let len = std::fs::metadata(&f).unwrap().len();
        assert!(len < 4 * 1024 * 1024, "{}: {len} bytes", f.display());
    }
    assert!(dir.join("ud/2026-11/annoteret/REN.xlsx").is_file());
}

#[test]
fn long_texts_are_clipped_where_shown_and_kept_whole_in_the_users_workbook() {
    let dir = workdir();
    // 30,000 characters (Excel allows 32,767) and a 600 KB text (beyond Excel, under the
    // 1 MB token limit) – both read, both shown clipped.
    let long = "ø".repeat(30_000);
    let bytes = workbook(&dir, "LANG", |f, _| {
        set(f, FieldKey::Name, text(&long));
        set(f, FieldKey::Lead, text(&format!("Leder {}", "x".repeat(20_000))));
        // An invalid value the message quotes.
        set(f, FieldKey::Level, text(&format!("N{}", "9".repeat(20_000))));
    });
    std::fs::write(dir.join("indsendt/lang.xlsx"), &bytes).unwrap();
    let raw = format!("START{}SLUT", "b".repeat(600 * 1024));
    std::fs::write(dir.join("indsendt/laengere.xlsx"), with_raw_name(&dir, "LAENGERE", &raw)).unwrap();
    dir.run(&["run", "--no-progress"]).code(0);
    let findings = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    for p in findings["projects"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        assert!(name.chars().count() <= os2gov::text::SHOWN_VALUE_CHARS && name.ends_with('…'), "{name}");
        for f in p["findings"].as_array().unwrap() {
            assert!(f["message"].as_str().unwrap().chars().count() <= os2gov::text::MESSAGE_CHARS);
        }
    }
    let lang = findings["projects"].as_array().unwrap().iter().find(|p| p["id"] == "LANG").unwrap();
    let level = lang["findings"].as_array().unwrap().iter().find(|f| f["code"] == "INPUT-VALUE-INVALID").unwrap();
    let message = level["message"].as_str().unwrap();
    assert!(message.contains(" … "), "clipped in the middle: {message}");
    // Mails and previews are small; the annotated copy keeps the user's full texts.
    for f in files_under(&dir.join("ud/2026-11/post")) {
        let len = std::fs::metadata(&f).unwrap().len();
        assert!(len < 300 * 1024, "{}: {len} bytes", f.display());
    }
    let copy = std::fs::read(dir.join("ud/2026-11/annoteret/LANG.xlsx")).unwrap();
    assert!(part_of(&copy, "xl/sharedStrings.xml").contains(&long), "the full name stays in the workbook");
    let copy = std::fs::read(dir.join("ud/2026-11/annoteret/LAENGERE.xlsx")).unwrap();
    assert!(part_of(&copy, "xl/sharedStrings.xml").contains(&raw));
    let kontrol = crate::util::cells(&dir.join("ud/2026-11/annoteret/LAENGERE.xlsx"), "Kontrol");
    assert!(kontrol.iter().flatten().all(|c| c.chars().count() <= 2 * os2gov::text::MESSAGE_CHARS), "Kontrol clipped");
}

#[test]
fn text_floods_are_refused_and_many_findings_are_listed_within_a_budget() {
    let dir = workdir();
    let inbox = dir.join("indsendt");
    // 2 MB of text in one shared string, split into 2,000 rich-text runs.
    let runs: String = (0..2_000).map(|i| format!("<r><t>{i:04}{}</t></r>", "r".repeat(1_000))).collect();
    let bytes = workbook(&dir, "RUNS", |f, _| set(f, FieldKey::Name, text("NAVN-ERSTATTES")));
    let bytes =
        with_part(&bytes, "xl/sharedStrings.xml", |src| src.unwrap().replacen("<t>NAVN-ERSTATTES</t>", &runs, 1));
    std::fs::write(inbox.join("koerte-tekster.xlsx"), bytes).unwrap();
    // 1.2 million distinct shared strings.
    let bytes = with_part(&clean(&dir, "MANGE"), "xl/sharedStrings.xml", |src| {
        let src = src.unwrap();
        let at = src.rfind("</sst>").unwrap();
        let extra: String = (0..1_200_000u32).map(|i| format!("<si><t>{i:x}</t></si>")).collect();
        format!("{}{extra}{}", &src[..at], &src[at..])
    });
    std::fs::write(inbox.join("mange-tekster.xlsx"), bytes).unwrap();
    // One 30,000-character text in 2,000 cells: 60 MB once copied per cell.
    let big = "t".repeat(30_000);
    let rules = dir.rules();
    let mut wb = os2gov::render::projektark::build_projektark(&rules, &dir.clean("KOPIER", "N1", "Igangsat")).unwrap();
    let ws = wb.worksheet_from_name("Status").unwrap();
    for r in 20..2_020 {
        ws.write_string(r, 7, &big).unwrap();
    }
    std::fs::write(inbox.join("kopieret-tekst.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
    // 3,000 participants with an invalid CVR each: thousands of findings.
    let many = workbook(&dir, "FUND", |f, _| {
        let row = f.participants[0].clone();
        for i in 0..3_000 {
            let mut r = row.clone();
            r[0] = text(&format!("Organisation {i}"));
            r[2] = text("12345678");
            f.participants.push(r);
        }
    });
    std::fs::write(inbox.join("mange-fund.xlsx"), many).unwrap();

    let m = measured(dir.command(&["run", "--no-progress"]), Some(ADDRESS_SPACE));
    assert_eq!(m.code, Some(3), "{}\n{}", m.stdout, m.stderr);
    let findings = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    let unreadable = unreadable_messages(&findings);
    assert_eq!(unreadable.len(), 3, "{unreadable:#?}");
    assert!(unreadable.iter().any(|u| u.contains("koerte-tekster.xlsx") && u.contains("over 1 MB")), "{unreadable:#?}");
    assert!(unreadable.iter().any(|u| u.contains("mange-tekster.xlsx") && u.contains("flere end 1000000 tekster")));
    assert!(unreadable.iter().any(|u| u.contains("kopieret-tekst.xlsx") && u.contains("over 32 MB tekst")));
    // The project with thousands of findings: counted in full, listed within the budget.
    let p = findings["projects"].as_array().unwrap().iter().find(|p| p["id"] == "FUND").unwrap();
    let listed = p["findings"].as_array().unwrap().len();
    assert_eq!(listed, os2gov::check::result::MAX_LISTED_FINDINGS);
    assert!(p["findings_omitted"].as_u64().unwrap() >= 2_500, "{}", p["findings_omitted"]);
    assert!(findings["summary"]["errors"].as_u64().unwrap() >= 3_000);
    let kontrol = crate::util::cells(&dir.join("ud/2026-11/annoteret/FUND.xlsx"), "Kontrol");
    assert!(kontrol.iter().flatten().any(|c| c.contains("fund mere, som ikke er vist her")));
    let copy = std::fs::read(dir.join("ud/2026-11/annoteret/FUND.xlsx")).unwrap();
    let notes = files_in_zip(&copy).into_iter().filter(|n| n.contains("comments")).collect::<Vec<_>>();
    let note_count: usize = notes.iter().map(|n| part_of(&copy, n).matches("<comment ").count()).sum();
    assert!(note_count <= os2gov::check::result::MAX_LISTED_FINDINGS, "{note_count} notes");
    assert!(m.peak_mb < 300.0, "peak {} MB", m.peak_mb);
}

fn files_in_zip(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

// ---- 3. the inbox: regular files only, copies no more readable than their inputs -----------

#[cfg(unix)]
#[test]
fn inbox_links_and_special_files_are_refused_and_never_copied() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = workdir();
    let inbox = dir.join("indsendt");
    let secret = dir.join("hemmelig.txt");
    std::fs::write(&secret, "HEMMELIG-INDHOLD").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    symlink(&secret, inbox.join("x.xlsx")).unwrap();
    symlink("/etc/passwd", inbox.join("passwd.xlsx")).unwrap();
    let outside = dir.join("udenfor.xlsx");
    std::fs::write(&outside, clean(&dir, "UDENFOR")).unwrap();
    symlink(&outside, inbox.join("genvej.xlsx")).unwrap();
    symlink(dir.join("findes-ikke.xlsx"), inbox.join("doed.xlsx")).unwrap();
    let fifo = inbox.join("roer.xlsx");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: creates a named pipe at a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    std::fs::write(inbox.join("ren.xlsx"), clean(&dir, "REN")).unwrap();

    let run = dir.run(&["run", "--no-progress"]).code(3);
    let out = run.stdout();
    assert!(out.contains("Kunne ikke læses (5):"), "{out}");
    for f in ["x.xlsx", "passwd.xlsx", "genvej.xlsx", "doed.xlsx"] {
        assert!(out.lines().any(|l| l.contains(f) && l.contains("symbolsk genvej")), "{f}: {out}");
    }
    assert!(out.lines().any(|l| l.contains("roer.xlsx") && l.contains("ikke en almindelig fil")), "{out}");
    // Nothing of the targets reached the output.
    for f in files_under(&dir.join("ud")) {
        let bytes = std::fs::read(&f).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains("HEMMELIG-INDHOLD") && !s.contains("root:x:0:0"), "{} leaks", f.display());
    }
    let copies: Vec<String> = files_under(&dir.join("ud/2026-11/input"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(copies, ["ren.xlsx", "sekretariat.xlsx", "styringsmodel.xlsx"]);
    assert!(!dir.join("ud/2026-11/annoteret/UDENFOR.xlsx").exists());
    // Named on the command line, a link is refused too.
    let check = dir.run(&["check", "indsendt/genvej.xlsx"]).code(3);
    assert!(check.stdout().contains("symbolsk genvej"), "{}", check.stdout());
}

#[cfg(unix)]
#[test]
fn input_copies_are_never_more_readable_than_their_inputs() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = workdir();
    let private = dir.join("indsendt/privat.xlsx");
    std::fs::write(&private, clean(&dir, "PRIVAT")).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(dir.join("indsendt/aaben.xlsx"), clean(&dir, "AABEN")).unwrap();
    std::fs::set_permissions(dir.join("indsendt/aaben.xlsx"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let mode = |p: &str| std::fs::metadata(dir.join(p)).unwrap().permissions().mode() & 0o777;
    for (umask, open, outputs) in [(0o022, 0o644, 0o644), (0o077, 0o600, 0o600)] {
        let mut cmd = dir.command(&["run", "--no-progress"]);
        // SAFETY: only umask (async-signal-safe) runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                libc::umask(umask);
                Ok(())
            });
        }
        assert!(cmd.output().unwrap().status.success());
        assert_eq!(mode("ud/2026-11/input/indsendt/privat.xlsx"), 0o600, "umask {umask:o}");
        assert_eq!(mode("ud/2026-11/input/indsendt/aaben.xlsx"), open, "umask {umask:o}");
        assert_eq!(mode("ud/2026-11/manifest.json"), outputs, "umask {umask:o}");
        assert_eq!(mode("ud/2026-11/annoteret/AABEN.xlsx"), outputs, "umask {umask:o}");
    }
}

// ---- 4. the size limit, from metadata, before reading ---------------------------------------

#[cfg(unix)]
#[test]
fn a_3_gb_file_is_refused_from_its_size_without_being_read() {
    let dir = workdir();
    // Sparse: 3 GB long, no disk used.
    let big = std::fs::File::create(dir.join("indsendt/kaempe.xlsx")).unwrap();
    big.set_len(3 * 1024 * 1024 * 1024).unwrap();
    drop(big);
    std::fs::write(dir.join("indsendt/ren.xlsx"), clean(&dir, "REN")).unwrap();
    let m = measured(dir.command(&["run", "--no-progress"]), Some(ADDRESS_SPACE));
    assert_eq!(m.code, Some(3), "{}\n{}", m.stdout, m.stderr);
    assert!(m.stdout.contains("kaempe.xlsx: Filen er for stor (3072 MB; grænsen er 50 MB)"), "{}", m.stdout);
    assert!(m.peak_mb < 150.0, "peak {} MB: the file was read", m.peak_mb);
    assert!(!dir.join("ud/2026-11/input/indsendt/kaempe.xlsx").exists());
}

// ---- 5. long Unicode IDs --------------------------------------------------------------------

#[test]
fn long_unicode_ids_give_short_stable_file_names() {
    let dir = workdir();
    let wide = "𝐀".repeat(64); // 64 letters of four bytes: a valid Projekt-ID
    let oe = "ø".repeat(64);
    std::fs::write(dir.join("indsendt/bred.xlsx"), clean(&dir, &wide)).unwrap();
    std::fs::write(dir.join("indsendt/oe-1.xlsx"), clean(&dir, &oe)).unwrap();
    // Another project whose long ID begins the same way (one ID is one project: a second
    // workbook with the very same ID would be set aside as an older version).
    let oe2 = format!("{}æ", "ø".repeat(63));
    std::fs::write(
        dir.join("indsendt/oe-2.xlsx"),
        workbook(&dir, &oe2, |f, _| set(f, FieldKey::Budget, Value::Number(7.0))),
    )
    .unwrap();
    dir.run(&["run", "--no-progress"]).code(0);
    let names = |dir: &TestDir| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir.join("ud/2026-11/annoteret"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let first = names(&dir);
    assert_eq!(first.len(), 3, "{first:?}");
    for n in &first {
        assert!(n.len() <= os2gov::sys::names::MAX_NAME_BYTES, "{n}: {} bytes", n.len());
        assert!(n.contains('~') && n.ends_with(".xlsx"), "shortened with a hash: {n}");
    }
    assert!(first.iter().any(|n| n.starts_with(&"𝐀".repeat(10))));
    assert_eq!(first.iter().filter(|n| n.starts_with(&"ø".repeat(10))).count(), 2);
    // The same names next time.
    dir.run(&["run", "--no-progress"]).code(0);
    assert_eq!(names(&dir), first);
    assert_eq!(files_under(&dir.join("ud/2026-11/post")).len(), 5 * 2 + 3 * 2, "every mail written");
    // And `template --id` names its file the same way.
    let out = dir.run(&["template", "--id", &wide]).code(0).stdout();
    assert!(out.contains('~'), "{out}");
}

// ---- 6. input copies named losslessly --------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn inputs_whose_names_differ_only_in_non_utf8_bytes_keep_separate_copies() {
    use std::os::unix::ffi::OsStrExt;
    let dir = workdir();
    let inbox = dir.join("indsendt");
    let a = inbox.join(std::ffi::OsStr::from_bytes(b"ark-\xff.xlsx"));
    let b = inbox.join(std::ffi::OsStr::from_bytes(b"ark-\xfe.xlsx"));
    let (bytes_a, bytes_b) = (clean(&dir, "ARKA"), clean(&dir, "ARKB"));
    std::fs::write(&a, &bytes_a).unwrap();
    std::fs::write(&b, &bytes_b).unwrap();
    std::fs::write(inbox.join("ark-%FF.xlsx"), clean(&dir, "ARKC")).unwrap(); // what an escape looks like
    // 240 bytes, 80 of them not UTF-8: escaped it would be far over the file system's 255.
    let mut long = b"lang-".to_vec();
    long.extend(std::iter::repeat_n(b"a\xe6"[..].iter().copied(), 80).flatten());
    long.extend(b"-navn.xlsx");
    assert!(long.len() <= 255);
    let bytes_d = clean(&dir, "ARKD");
    std::fs::write(inbox.join(std::ffi::OsStr::from_bytes(&long)), &bytes_d).unwrap();
    dir.run(&["run", "--no-progress"]).code(0);
    let copies = dir.join("ud/2026-11/input/indsendt");
    assert_eq!(std::fs::read(copies.join("ark-%FF.xlsx")).unwrap(), bytes_a);
    assert_eq!(std::fs::read(copies.join("ark-%FE.xlsx")).unwrap(), bytes_b);
    assert!(copies.join("ark-%25FF.xlsx").is_file());
    let long_copy = std::fs::read_dir(&copies)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("lang-"))
        .expect("a copy of the long name");
    assert!(long_copy.len() <= os2gov::sys::names::MAX_NAME_BYTES && long_copy.contains('~'), "{long_copy}");
    assert!(long_copy.starts_with("lang-a%E6a%E6"), "{long_copy}");
    assert_eq!(std::fs::read(copies.join(&long_copy)).unwrap(), bytes_d);
    let manifest = read_json(&dir.join("ud/2026-11/manifest.json"));
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    let mut named: Vec<&str> = inputs.iter().map(|i| i["copy"].as_str().unwrap()).collect();
    named.sort();
    named.dedup();
    assert_eq!(named.len(), 4, "{named:?}");
}

// ---- 7. the output folder inside the inbox ---------------------------------------------------

#[test]
fn an_output_folder_inside_the_inbox_is_never_read_back() {
    let dir = workdir();
    for id in ["EN", "TO", "TRE"] {
        std::fs::write(dir.join(&format!("indsendt/{id}.xlsx")), clean(&dir, id)).unwrap();
    }
    // The inbox is the working folder itself, which holds ud/ and the styringsmodel.
    let toml =
        std::fs::read_to_string(dir.join("os2gov.toml")).unwrap().replace("inbox = \"indsendt\"", "inbox = \".\"");
    std::fs::write(dir.join("os2gov.toml"), toml).unwrap();
    for _ in 0..3 {
        let out = dir.run(&["run", "--no-progress"]).code(0).stdout();
        assert!(out.contains("Kontrolleret: 3 projektark"), "{out}");
        assert!(out.contains("post/ (8 mails)"), "{out}");
    }
    let json = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    assert!(json["unreadable"].as_array().unwrap().is_empty(), "the styringsmodel is not read as a projektark");
    let check = dir.run(&["check", "--format", "json"]).code(0);
    assert_eq!(crate::util::json(&check)["projects"].as_array().unwrap().len(), 3);
}

#[test]
fn an_inbox_inside_the_output_folder_is_refused() {
    let dir = workdir();
    std::fs::create_dir_all(dir.join("ud/indsendt")).unwrap();
    let toml = std::fs::read_to_string(dir.join("os2gov.toml"))
        .unwrap()
        .replace("inbox = \"indsendt\"", "inbox = \"ud/indsendt\"");
    std::fs::write(dir.join("os2gov.toml"), toml).unwrap();
    let err = dir.run(&["run"]).code(2).stderr();
    assert!(err.contains("ligger i output-mappen") && err.contains("os2gov.toml"), "{err}");
}

// ---- 9. a full disk --------------------------------------------------------------------------

#[test]
fn a_full_disk_or_any_other_error_leaves_no_build_folder() {
    let dir = workdir();
    std::fs::write(dir.join("indsendt/ren.xlsx"), clean(&dir, "REN")).unwrap();
    dir.run(&["run", "--no-progress"]).code(0);
    let before = std::fs::read(dir.join("ud/2026-11/manifest.json")).unwrap();
    let leftovers = |dir: &TestDir| -> Vec<String> {
        std::fs::read_dir(dir.join("ud"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(".tmp-") || n.starts_with(".old-"))
            .collect()
    };
    // A simulated full disk (the first writes succeed); debug builds only.
    if crate::util::faults_compiled_in("a_full_disk_or_any_other_error_leaves_no_build_folder") {
        let out = dir.command(&["run", "--no-progress"]).env("OS2GOV_FAULT", "disk-full").output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("disken er fuld"), "{err}");
        assert_eq!(leftovers(&dir), Vec::<String>::new());
        assert_eq!(std::fs::read(dir.join("ud/2026-11/manifest.json")).unwrap(), before, "the good period stays");
    }
    // An error of another kind after the build folder exists: a sender that is no address.
    let toml = std::fs::read_to_string(dir.join("os2gov.toml")).unwrap();
    let bad = toml.replace("from = \"OS2-sekretariatet <sekretariat@os2.example>\"", "from = \"ingen adresse\"");
    assert_ne!(bad, toml);
    std::fs::write(dir.join("os2gov.toml"), bad).unwrap();
    dir.run(&["run", "--no-progress"]).code(2);
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    assert_eq!(std::fs::read(dir.join("ud/2026-11/manifest.json")).unwrap(), before);
}

// ---- also: annotate's exit code, the summary's reason --------------------------------------

#[test]
fn annotate_with_only_unreadable_inputs_exits_3_with_the_list() {
    let dir = workdir();
    std::fs::write(dir.join("indsendt/tekst.xlsx"), "ikke en projektmappe").unwrap();
    std::fs::write(dir.join("indsendt/tom.xlsx"), "").unwrap();
    let run = dir.run(&["annotate", "indsendt", "-o", "kopier"]).code(3);
    let out = run.stdout();
    assert!(out.contains("tekst.xlsx") && out.contains("tom.xlsx") && out.contains("0 af 0"), "{out}");
    assert!(!run.stderr().contains("gemme"), "{}", run.stderr());
}

#[test]
fn a_copy_that_cannot_be_made_is_not_blamed_on_the_leads_address() {
    let dir = workdir();
    // In-place editing fails (more elements in styles.xml than the editor takes) and so
    // does the rebuild from values (a sheet name Excel does not allow): no annotated copy.
    let bytes = clean(&dir, "UDEN");
    let bytes = with_part(&bytes, "xl/styles.xml", |src| {
        let src = src.unwrap();
        let at = src.rfind("</styleSheet>").unwrap();
        let junk: String = (0..520_000u32).map(|i| format!("<x v=\"{i:x}\"/>")).collect();
        format!("{}{junk}{}", &src[..at], &src[at..])
    });
    let bytes = with_part(&bytes, "xl/workbook.xml", |src| {
        src.unwrap().replacen("name=\"Vejledning\"", "name=\"Vejledning med et navn der er alt for langt\"", 1)
    });
    std::fs::write(dir.join("indsendt/uden-kopi.xlsx"), bytes).unwrap();
    std::fs::write(dir.join("indsendt/ren.xlsx"), clean(&dir, "REN")).unwrap();
    let out = dir.run(&["run", "--no-progress"]).code(0).stdout();
    assert!(out.contains("Kunne ikke annoteres:") && out.contains("UDEN"), "{out}");
    assert!(out.contains("der kunne ikke laves en annoteret kopi"), "{out}");
    // Why, in the summary's language – not the spreadsheet library's English.
    assert!(out.contains("har et navn, Excel ikke tillader"), "{out}");
    assert!(!out.contains("must be"), "{out}");
    assert!(!out.contains("e-mailadressen mangler eller er ugyldig"), "the address is fine: {out}");
}

// ---- all of them in one batch ---------------------------------------------------------------

#[cfg(unix)]
#[test]
fn the_batch_over_every_attack_finishes_processes_the_rest_and_stays_under_500_mb() {
    use std::os::unix::fs::symlink;
    let dir = workdir();
    let inbox = dir.join("indsendt");
    let deep = write_deep(&dir, &inbox);
    for i in 0..5 {
        std::fs::write(inbox.join(format!("stor-tekst-{i}.xlsx")), huge_name_workbook(&dir, &format!("STOR{i}")))
            .unwrap();
    }
    let secret = dir.join("hemmelig.txt");
    std::fs::write(&secret, "HEMMELIG-INDHOLD").unwrap();
    symlink(&secret, inbox.join("x.xlsx")).unwrap();
    symlink("/etc/passwd", inbox.join("passwd.xlsx")).unwrap();
    std::fs::File::create(inbox.join("kaempe.xlsx")).unwrap().set_len(3 * 1024 * 1024 * 1024).unwrap();
    std::fs::write(inbox.join("bred.xlsx"), clean(&dir, &"𝐀".repeat(64))).unwrap();
    std::fs::write(inbox.join("oe-1.xlsx"), clean(&dir, &"ø".repeat(64))).unwrap();
    std::fs::write(inbox.join("oe-2.xlsx"), clean(&dir, &"ø".repeat(64))).unwrap();
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        std::fs::write(inbox.join(std::ffi::OsStr::from_bytes(b"n-\xff.xlsx")), clean(&dir, "NFF")).unwrap();
        std::fs::write(inbox.join(std::ffi::OsStr::from_bytes(b"n-\xfe.xlsx")), clean(&dir, "NFE")).unwrap();
    }
    let normal = ["OS2EN", "OS2TO", "OS2TRE"];
    for id in normal {
        std::fs::write(inbox.join(format!("{id}.xlsx")), clean(&dir, id)).unwrap();
    }
    // The output inside the inbox, as with inbox = ".".
    let toml = std::fs::read_to_string(dir.join("os2gov.toml"))
        .unwrap()
        .replace("output = \"ud\"", "output = \"indsendt/ud\"");
    std::fs::write(dir.join("os2gov.toml"), toml).unwrap();
    // A stale lock naming a live process (this one) holds nothing.
    std::fs::create_dir_all(inbox.join("ud")).unwrap();
    std::fs::write(inbox.join("ud/.os2gov.lock"), format!("pid={}\nhost=x\nstarted=then\n", std::process::id()))
        .unwrap();
    // For measuring with a release build: OS2GOV_CORPUS=<folder> keeps a copy of the corpus.
    if let Ok(keep) = std::env::var("OS2GOV_CORPUS") {
        let status = std::process::Command::new("cp").arg("-a").arg(dir.path()).arg(&keep).status().unwrap();
        assert!(status.success());
    }

    let mut peak = 0f64;
    for round in 0..2 {
        let m = measured(dir.command(&["run", "--no-progress"]), Some(ADDRESS_SPACE));
        peak = peak.max(m.peak_mb);
        assert_eq!(m.code, Some(3), "round {round}\n{}\n{}", m.stdout, m.stderr);
        assert!(m.stdout.contains("Kunne ikke læses (8):"), "round {round}: {}", m.stdout);
        let period = inbox.join("ud/2026-11");
        for id in normal.iter().copied().chain(deep.iter().map(String::as_str)).chain(["NFF", "NFE"]) {
            assert!(period.join(format!("annoteret/{id}.xlsx")).is_file(), "round {round}: {id}");
        }
        let findings = read_json(&period.join("fund-2026-11.json"));
        // Workbooks sharing a Projekt-ID count once; the older ones are set aside (issue 21).
        let checked = findings["projects"].as_array().unwrap().len() + findings["set_aside"].as_array().unwrap().len();
        assert_eq!(checked, normal.len() + deep.len() + 5, "round {round}");
        let total: u64 = files_under(&period).iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
        assert!(total < 64 * 1024 * 1024, "round {round}: {total} bytes written");
        assert!(
            !inbox
                .join("ud")
                .read_dir()
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
        );
    }
    eprintln!("peak memory of the batch over every attack: {peak:.0} MB");
    assert!(peak < PEAK_MB, "peak {peak:.0} MB");
}
