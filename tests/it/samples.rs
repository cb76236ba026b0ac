//! The `samples/` working folder: `os2gov check` gives exactly the findings that
//! samples/README.md promises for each projektark, and the folder is what
//! `cargo run --example make_samples -- samples` writes today.

use crate::util::{AS_OF, TestDir};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "../../examples/make_samples.rs"]
mod make_samples;

const LEVELS: [&str; 4] = ["SB", "N1", "N2", "N3"];
const PHASES: [&str; 8] =
    ["Idé", "Koncept", "Bestyrelsesbehandling", "Igangsat", "Implementering", "Produkt", "Pauseret", "Udfaset"];

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// One row of the README's table.
#[derive(Debug)]
struct Row {
    file: String,
    id: String,
    level: String,
    phase: String,
    codes: BTreeSet<String>,
}

/// Parses the table `| File | Projekt-ID | Level | Phase | Expected findings |`.
#[track_caller]
fn table(readme: &str) -> Vec<Row> {
    let mut lines =
        readme.lines().skip_while(|l| !l.starts_with("| File | Projekt-ID | Level | Phase | Expected findings |"));
    assert!(lines.next().is_some(), "no findings table in the README");
    let separator = lines.next().unwrap_or_default();
    assert!(separator.starts_with("|---"), "no separator: {separator}");
    lines
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 5, "row: {line}");
            let file = cells[0]
                .strip_prefix('`')
                .and_then(|f| f.strip_suffix('`'))
                .unwrap_or_else(|| panic!("file name not in backticks: {line}"));
            let codes = match cells[4] {
                "none" => BTreeSet::new(),
                list => list.split(',').map(|c| c.trim().to_string()).collect(),
            };
            Row {
                file: file.to_string(),
                id: cells[1].to_string(),
                level: cells[2].to_string(),
                phase: cells[3].to_string(),
                codes,
            }
        })
        .collect()
}

/// What `os2gov check --format json` says about one file.
#[derive(Debug)]
struct Checked {
    id: Option<String>,
    level: Option<String>,
    phase: Option<String>,
    codes: BTreeSet<String>,
}

/// Runs the real binary on a samples folder; results by file name.
#[track_caller]
fn check(dir: &Path) -> BTreeMap<String, Checked> {
    let config = dir.join("os2gov.toml");
    // The table describes a first run: no register yet. (The README's batch command creates
    // samples/sekretariat.xlsx by migration; a register that does not exist is read as empty.)
    let no_register = TestDir::new();
    let output = Command::new(env!("CARGO_BIN_EXE_os2gov"))
        .args(["check", "--config"])
        .arg(&config)
        .arg("--register")
        .arg(no_register.join("sekretariat.xlsx"))
        .args(["--as-of", AS_OF, "--format", "json", "--fail-on", "never"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run os2gov");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "exit code\n--- stdout\n{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(json["unreadable"], serde_json::json!([]), "unreadable files");
    assert_eq!(json["styringsmodel"]["findings"], serde_json::json!([]), "findings about the styringsmodel");
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    json["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| {
            let file = text(&p["file"]).expect("file");
            let name = Path::new(&file).file_name().expect("a file name").to_string_lossy().into_owned();
            let codes =
                p["findings"].as_array().expect("findings").iter().map(|f| text(&f["code"]).expect("code")).collect();
            let checked =
                Checked { id: text(&p["id"]), level: text(&p["declared_level"]), phase: text(&p["phase"]), codes };
            (name, checked)
        })
        .collect()
}

/// Fails with `problems`, if any. The message also goes to stderr: once a test in this
/// binary has loaded a workbook in-process, os2gov's panic hook (panic_guard) replaces
/// every panic message with a short "internal error" line, and the details would be lost.
#[track_caller]
fn fail_on(problems: &[String]) {
    if !problems.is_empty() {
        let text = problems.join("\n");
        eprintln!("{text}");
        panic!("{text}");
    }
}

fn xlsx_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx"))
        .collect()
}

/// Every row's codes, level and phase against what the checker says; all mismatches at once.
#[track_caller]
fn assert_matches(rows: &[Row], checked: &BTreeMap<String, Checked>) {
    let mut problems = Vec::new();
    for row in rows {
        let Some(got) = checked.get(&row.file) else {
            problems.push(format!("{}: not checked", row.file));
            continue;
        };
        if got.codes != row.codes {
            problems.push(format!("{}: expected {:?}, got {:?}", row.file, row.codes, got.codes));
        }
        let facts =
            [("Projekt-ID", &got.id, &row.id), ("Level", &got.level, &row.level), ("Phase", &got.phase, &row.phase)];
        for (what, got, want) in facts {
            if got.as_deref() != Some(want.as_str()) {
                problems.push(format!("{}: {what} is {got:?}, the table says {want}", row.file));
            }
        }
    }
    for file in checked.keys() {
        if !rows.iter().any(|r| &r.file == file) {
            problems.push(format!("{file}: checked, but not in the table"));
        }
    }
    fail_on(&problems);
}

#[test]
fn samples_give_exactly_the_findings_in_their_readme() {
    let dir = samples_dir();
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("samples/README.md");
    let rows = table(&readme);

    let mut problems = Vec::new();
    let in_table: BTreeSet<String> = rows.iter().map(|r| r.file.clone()).collect();
    if in_table.len() != rows.len() {
        problems.push("a file is listed twice in the table".to_string());
    }
    let in_folder = xlsx_files(&dir.join("indsendt"));
    for file in in_folder.difference(&in_table) {
        problems.push(format!("samples/indsendt/{file} is not in the README's table"));
    }
    for file in in_table.difference(&in_folder) {
        problems.push(format!("{file} is in the README's table but not in samples/indsendt"));
    }
    if rows.len() < 12 {
        problems.push(format!("only {} samples, want at least 12", rows.len()));
    }
    for level in LEVELS {
        if !rows.iter().any(|r| r.level == level) {
            problems.push(format!("no sample at level {level}"));
        }
    }
    for phase in PHASES {
        if !rows.iter().any(|r| r.phase == phase) {
            problems.push(format!("no sample in phase {phase}"));
        }
    }
    let clean = rows.iter().filter(|r| r.codes.is_empty()).count();
    if clean < 7 {
        problems.push(format!("only {clean} clean samples, want at least 7"));
    }
    fail_on(&problems);

    assert_matches(&rows, &check(&dir));
}

#[test]
fn regenerating_the_samples_gives_the_same_folder() {
    const REGENERATE: &str = "is stale: run `cargo run --example make_samples -- samples`";
    let tmp = TestDir::new();
    let written = make_samples::generate(tmp.path()).expect("generate the samples");
    let committed = samples_dir();

    let mut problems = Vec::new();
    // The README (and so the table of expectations) is what the generator writes today.
    for file in ["README.md", "os2gov.toml"] {
        let fresh = std::fs::read(tmp.join(file)).expect("fresh file");
        if std::fs::read(committed.join(file)).ok() != Some(fresh) {
            problems.push(format!("samples/{file} {REGENERATE}"));
        }
    }
    let files: BTreeSet<String> = written.iter().map(|s| s.file()).collect();
    if xlsx_files(&tmp.join("indsendt")) != files {
        problems.push("the generator wrote other files than its samples".to_string());
    }
    if xlsx_files(&committed.join("indsendt")) != files {
        problems.push(format!("the file list of samples/indsendt {REGENERATE}"));
    }
    // The committed projektark hold what the generator writes today (read back, cell by
    // cell; bytes may differ between library versions).
    for file in &files {
        let fresh = cell_dump(&tmp.join("indsendt").join(file));
        if cell_dump(&committed.join("indsendt").join(file)) != fresh {
            problems.push(format!("samples/indsendt/{file} {REGENERATE}"));
        }
    }
    if cell_dump(&tmp.join("styringsmodel.xlsx")) != cell_dump(&committed.join("styringsmodel.xlsx")) {
        problems.push(format!("samples/styringsmodel.xlsx {REGENERATE}"));
    }
    fail_on(&problems);

    // The fresh folder gives the same projects and findings as the table.
    let readme = std::fs::read_to_string(tmp.join("README.md")).expect("README");
    assert_matches(&table(&readme), &check(tmp.path()));
}

/// Every sheet's cells as text, for comparing workbooks by content.
fn cell_dump(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx, open_workbook};
    let Ok(mut wb) = open_workbook::<Xlsx<_>, _>(path) else {
        return Vec::new();
    };
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let rows = wb
                .worksheet_range(&name)
                .map(|r| r.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect())
                .unwrap_or_default();
            (name, rows)
        })
        .collect()
}
