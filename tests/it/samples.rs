//! The `samples/` working folder: `os2gov check` gives exactly the findings that
//! samples/README.md promises for each projektark, the monthly run puts exactly the
//! promised items before the board (each naming the record that is missing) without
//! changing a tracked file, and the folder is what
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
    /// The sections of the board's agenda it is meant to appear in.
    board: BTreeSet<String>,
}

const HEADER: &str = "| File | Projekt-ID | Level | Phase | Expected findings | Board |";

/// Parses the table `| File | Projekt-ID | Level | Phase | Expected findings | Board |`.
#[track_caller]
fn table(readme: &str) -> Vec<Row> {
    let mut lines = readme.lines().skip_while(|l| !l.starts_with(HEADER));
    assert!(lines.next().is_some(), "no findings table in the README");
    let separator = lines.next().unwrap_or_default();
    assert!(separator.starts_with("|---"), "no separator: {separator}");
    lines
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 6, "row: {line}");
            let file = cells[0]
                .strip_prefix('`')
                .and_then(|f| f.strip_suffix('`'))
                .unwrap_or_else(|| panic!("file name not in backticks: {line}"));
            let list = |cell: &str| match cell {
                "none" => BTreeSet::new(),
                list => list.split(',').map(|c| c.trim().to_string()).collect(),
            };
            let (codes, board) = (list(cells[4]), list(cells[5]));
            Row {
                file: file.to_string(),
                id: cells[1].to_string(),
                level: cells[2].to_string(),
                phase: cells[3].to_string(),
                codes,
                board,
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
    // The samples' own register (sekretariat.xlsx, bundled and complete) is the one used.
    assert!(dir.join(make_samples::REGISTER_FILE).is_file(), "no register in {}", dir.display());
    let output = Command::new(env!("CARGO_BIN_EXE_os2gov"))
        .args(["check", "--config"])
        .arg(&config)
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
    for file in ["styringsmodel.xlsx", make_samples::REGISTER_FILE] {
        if cell_dump(&tmp.join(file)) != cell_dump(&committed.join(file)) {
            problems.push(format!("samples/{file} {REGENERATE}"));
        }
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

/// Every file of a folder (recursively), path relative to it → bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("inside").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What the Beslutning point of a sample must say: the record that is missing (or, for
/// OS2kle, which answer holds the level down).
const BOARD_SAYS: &[(&str, &str)] = &[
    ("OS2autoproces", "beslutningslog har ingen godkendelse af OS2autoproces"),
    ("OS2bibliotek", "beslutningsloggen har ingen bestyrelsesbeslutning om niveauet"),
    ("OS2fleetoptimiser", "beslutningsloggen har ingen"),
    ("OS2faktor", "beslutningsloggen har ingen licensbeslutning (Type Licens) om OS2faktor"),
    ("OS2kle", "F17 Drift og vedligehold er beskrevet (ikke relevant, uden forklaring)"),
    ("OS2forms", "beslutningsloggen har ingen godkendelse af OS2forms"),
    ("OS2opgavefordeler", "beslutningsloggen har ingen godkendelse efter placeringen"),
    ("OS2vagtplan", "Beslutningsloggen har ingen godkendelse af OS2vagtplan efter tilbageløbet"),
    ("OS2ugf", "beslutningsloggen har ingen budgetbeslutning om OS2ugf"),
];

#[test]
fn the_monthly_run_on_the_samples_puts_the_promised_items_before_the_board_and_changes_no_tracked_file() {
    let dir = samples_dir();
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("samples/README.md");
    let rows = table(&readme);
    // A copy of the tracked folder (without outputs of earlier runs), run as the README says.
    let work = TestDir::new();
    for (rel, bytes) in files(&dir) {
        if rel.starts_with("ud") {
            continue;
        }
        let to = work.path().join(&rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(&to, bytes).expect("copy");
    }
    let before = files(work.path());
    let output = Command::new(env!("CARGO_BIN_EXE_os2gov"))
        .args(["run", "--config"])
        .arg(work.join("os2gov.toml"))
        .args(["--as-of", AS_OF, "--fail-on", "never"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run os2gov");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));

    let mut problems = Vec::new();
    // Nothing outside ud/ is written: not the register (tilfoej_ventende = false), not the inbox.
    let after: BTreeMap<PathBuf, Vec<u8>> =
        files(work.path()).into_iter().filter(|(r, _)| !r.starts_with("ud")).collect();
    if after != before {
        let changed: Vec<_> = after
            .keys()
            .chain(before.keys())
            .filter(|k| after.get(*k) != before.get(*k))
            .map(|k| k.display().to_string())
            .collect();
        problems.push(format!("the run changed tracked files: {changed:?}"));
    }

    // The board's agenda, read back from the portfolio's sheet Til bestyrelsen.
    let portfolio = work.path().join("ud").join("2026-11").join("portefoelje-2026-11.xlsx");
    let sheet = crate::util::cells(&portfolio, "Til bestyrelsen");
    let header = sheet.iter().position(|r| r.first().is_some_and(|c| c == "Type")).expect("the agenda's header");
    let mut board: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut points: BTreeMap<(String, String), String> = BTreeMap::new();
    for r in sheet[header + 1..].iter().take_while(|r| r.iter().any(|c| !c.is_empty())) {
        let (kind, id, text) = (r[0].clone(), r[1].clone(), r.get(4).cloned().unwrap_or_default());
        board.entry(id.clone()).or_default().insert(kind.clone());
        points.insert((id, kind), text);
    }
    for row in &rows {
        let got = board.remove(&row.id).unwrap_or_default();
        if got != row.board {
            problems.push(format!("{}: board items {:?}, the table says {:?}", row.id, got, row.board));
        }
    }
    for (id, items) in board {
        problems.push(format!("{id}: board items {items:?} for a project not in the table"));
    }
    for (id, says) in BOARD_SAYS {
        match points.get(&(id.to_string(), "Beslutning".to_string())) {
            Some(text) if text.contains(says) => {}
            other => problems.push(format!("{id}: the Beslutning point should say '{says}', it is {other:?}")),
        }
    }
    fail_on(&problems);
}
