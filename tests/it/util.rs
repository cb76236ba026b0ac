//! A small builder for test folders and a runner for the real binary.

use os2gov::model::defaults::{SheetData, default_model};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const AS_OF: &str = "2026-11-26";

pub fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A working folder as `os2gov init` makes it.
    #[track_caller]
    pub fn init(self) -> TestDir {
        let target = self.path().to_path_buf();
        self.run_in(&target, &["init", target.to_str().unwrap()]).code(0);
        self
    }

    /// The default styringsmodel with changes, written as `styringsmodel.xlsx`.
    pub fn model(self, change: impl FnOnce(&mut Vec<SheetData>)) -> TestDir {
        let mut sheets = default_model(as_of());
        change(&mut sheets);
        os2gov::render::styringsmodel::write_model(&self.join("styringsmodel.xlsx"), &sheets).expect("write model");
        self
    }

    /// Runs os2gov in the folder with `--as-of` fixed.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args)
    }

    fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        Run { output: self.command_in(cwd, args).output().expect("run os2gov") }
    }

    /// The command [`TestDir::run`] runs, for tests that start it and act while it runs.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_in(self.path(), args)
    }

    fn command_in(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_os2gov"));
        cmd.current_dir(cwd).args(args);
        if !args.contains(&"--as-of") {
            cmd.args(["--as-of", AS_OF]);
        }
        cmd.env_remove("OS2GOV_SMTP_PASSWORD").env_remove("OS2GOV_FAULT").env("NO_COLOR", "1");
        cmd
    }
}

/// Fault injection (`OS2GOV_FAULT`) exists only in debug builds of os2gov, the one this
/// test binary runs when it is a debug build too; under `cargo test --release` the crash
/// tests say so and skip.
pub fn faults_compiled_in(test: &str) -> bool {
    if cfg!(debug_assertions) {
        return true;
    }
    eprintln!(
        "{test}: skipped – the release binary has no fault points (see faults::release_binary_has_no_fault_points)"
    );
    false
}

pub struct Run {
    pub output: Output,
}

impl Run {
    #[track_caller]
    pub fn code(self, expected: i32) -> Run {
        let got = self.output.status.code();
        assert_eq!(got, Some(expected), "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout(), self.stderr());
        self
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
}

/// Mutable access to one sheet of a default model by name.
pub fn sheet<'a>(sheets: &'a mut [SheetData], name: &str) -> &'a mut SheetData {
    sheets.iter_mut().find(|s| s.name == name).unwrap_or_else(|| panic!("no sheet {name}"))
}

impl TestDir {
    /// The styringsmodel of this folder, loaded.
    pub fn rules(&self) -> os2gov::model::rules::Rules {
        let bytes = std::fs::read(self.join("styringsmodel.xlsx")).expect("styringsmodel.xlsx");
        os2gov::load::styringsmodel::load_rules(&bytes, as_of()).expect("valid model").rules
    }

    /// Writes a projektark (relative path) with the given contents.
    pub fn projektark(&self, rel: &str, filled: &os2gov::model::filled::Filled) -> PathBuf {
        let rules = self.rules();
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut wb = os2gov::render::projektark::build_projektark(&rules, filled).expect("build");
        wb.save(&path).expect("save");
        path
    }

    /// Writes the secretariat's register (`sekretariat.xlsx` in the folder) with these
    /// assessments: (Projekt-ID, Krav, Vurdering, Vurderingsgrundlag, Svar-id) – a row
    /// without Svar-id is one typed by hand – and placements (Projekt-ID, Niveau, date).
    pub fn register(
        &self,
        assessments: &[(&str, &str, &str, &str, Option<&str>)],
        placements: &[(&str, &str, chrono::NaiveDate)],
    ) -> PathBuf {
        use os2gov::model::register::{Additions, PendingAssessment, PendingPlacement};
        let rows = Additions {
            assessments: assessments
                .iter()
                .map(|(p, k, light, basis, id)| PendingAssessment {
                    project: p.to_string(),
                    requirement_id: k.to_string(),
                    light: os2gov::model::choice::Light::parse(light),
                    basis: (!basis.is_empty()).then(|| basis.to_string()),
                    date: None,
                    answer: String::new(),
                    answer_id: id.map(str::to_string),
                    source: String::new(),
                    why: os2gov::text::Text { da: String::new(), en: String::new() },
                })
                .collect(),
            placements: placements
                .iter()
                .map(|(p, level, date)| PendingPlacement {
                    project: p.to_string(),
                    date: Some(*date),
                    level: Some(level.to_string()),
                    by: Some(os2gov::model::choice::Decider::Sekretariat),
                    reference: None,
                    note: String::new(),
                    source: String::new(),
                })
                .collect(),
        };
        let path = self.join("sekretariat.xlsx");
        std::fs::write(&path, os2gov::render::register::build(&self.rules(), &rows).expect("register")).unwrap();
        path
    }

    /// A clean projektark for a project at `level` in `phase`.
    pub fn clean(&self, id: &str, level: &str, phase: &str) -> os2gov::model::filled::Filled {
        self.clean_on(id, level, phase, as_of())
    }

    /// A clean projektark dated relative to `day` (so an earlier run sees no future dates).
    pub fn clean_on(
        &self,
        id: &str,
        level: &str,
        phase: &str,
        day: chrono::NaiveDate,
    ) -> os2gov::model::filled::Filled {
        let rules = self.rules();
        os2gov::check::fixtures::clean(
            &rules,
            id,
            rules.find_level(level).unwrap(),
            rules.find_phase(phase).unwrap(),
            day,
        )
    }
}

/// Parses the JSON printed by `check --format json`.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout()))
}

/// The distinct finding codes of the project with this ID in a findings JSON.
pub fn codes_of(json: &serde_json::Value, id: &str) -> Vec<String> {
    let project = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no project {id}"));
    let mut codes: Vec<String> =
        project["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// A date written `YYYY-MM-DD` in a test.
pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A Budgetændringer row as a lead writes it: Dato, Fra, Til, Besluttet af, Reference,
/// Begrundelse.
pub fn budget_row(
    on: &str,
    from: f64,
    to: f64,
    by: &str,
    reference: &str,
    reason: &str,
) -> Vec<os2gov::model::cell::Value> {
    use os2gov::model::cell::Value;
    vec![
        Value::Date(date(on)),
        Value::Number(from),
        Value::Number(to),
        Value::from(by),
        Value::from(reference),
        Value::from(reason),
    ]
}

/// Sets a Projekt field in a `Filled`.
pub fn set(
    filled: &mut os2gov::model::filled::Filled,
    key: os2gov::model::layout::FieldKey,
    value: os2gov::model::cell::Value,
) {
    filled.fields.retain(|(k, _)| *k != key);
    filled.fields.push((key, value));
}

/// Runs headless LibreOffice, when it is installed, to convert `input` into `format`
/// (e.g. "xlsx" or a "csv:..." filter) in `outdir`. `None` when LibreOffice is missing
/// and the test may be skipped (never under CI=true).
pub fn soffice(input: &Path, format: &str, outdir: &Path) -> Option<PathBuf> {
    if !soffice_found() {
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outdir).unwrap();
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", format, "--outdir"])
        .arg(outdir)
        .arg(input)
        .output()
        .expect("run soffice");
    let ext = format.split(':').next().unwrap();
    let out = outdir.join(format!("{}.{ext}", input.file_stem().unwrap().to_string_lossy()));
    // soffice exits 0 even when it fails, so the output file is the proof.
    assert!(out.exists(), "soffice did not write {}: {}", out.display(), String::from_utf8_lossy(&status.stderr));
    Some(out)
}

/// The cells of one sheet of a workbook os2gov wrote, as text (a dense range is fine for
/// our own files).
pub fn cells(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).expect("open workbook");
    let range = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Whether LibreOffice is installed; under CI=true it must be.
pub fn soffice_found() -> bool {
    let found = Command::new("soffice").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !found {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "LibreOffice (soffice) is required under CI=true");
        eprintln!("skipped: LibreOffice (soffice) is not installed");
    }
    found
}

/// What a measured run of the binary did.
pub struct Measured {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The process's maximum resident set, in MB (from wait4).
    pub peak_mb: f64,
}

/// Starts the measured process from a small launcher (python3), which forks, sets the
/// limit, execs, and reports the child's wait4 rusage: a child forked straight from this
/// big, multi-threaded test process would start with the test process's resident set
/// counted as its own (Linux keeps the high-water mark across exec).
const LAUNCHER: &str = r#"
import os, resource, sys
out, limit = sys.argv[1], int(sys.argv[2])
pid = os.fork()
if pid == 0:
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.argv[3], sys.argv[3:])
_, status, ru = os.wait4(pid, 0)
with open(out, "w") as f:
    f.write("%d %d" % (ru.ru_maxrss, os.waitstatus_to_exitcode(status)))
"#;

/// Runs `cmd` (the os2gov binary with arguments, working folder and environment) to the
/// end and measures its peak memory. With `address_space` (bytes), the child runs under
/// that limit (`ulimit -v`): an allocation beyond it fails the run. Needs python3 as the
/// launcher (see [`LAUNCHER`]); without it, the child is measured directly, which counts
/// this process's resident set too (an upper bound).
#[cfg(unix)]
pub fn measured(cmd: Command, address_space: Option<u64>) -> Measured {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut launched = Command::new("python3");
    launched.arg("-c").arg(LAUNCHER).arg(report.path()).arg(address_space.unwrap_or(0).to_string());
    launched.arg(cmd.get_program()).args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        launched.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => launched.env(k, v),
            None => launched.env_remove(k),
        };
    }
    match launched.output() {
        Ok(out) if out.status.success() => {
            let text = std::fs::read_to_string(report.path()).unwrap();
            let mut it = text.split_whitespace().map(|n| n.parse::<i64>().unwrap());
            let (kb, code) = (it.next().unwrap(), it.next().unwrap());
            Measured {
                code: (code >= 0).then_some(code as i32),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                peak_mb: kb as f64 / 1024.0,
            }
        }
        _ => {
            eprintln!("python3 not found: measuring the child directly (an upper bound)");
            measured_directly(cmd, address_space)
        }
    }
}

#[cfg(unix)]
fn measured_directly(mut cmd: Command, address_space: Option<u64>) -> Measured {
    use std::os::unix::process::CommandExt;
    if let Some(limit) = address_space {
        // SAFETY: only setrlimit (async-signal-safe) runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let r = libc::rlimit { rlim_cur: limit, rlim_max: limit };
                if libc::setrlimit(libc::RLIMIT_AS, &r) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let out = cmd.output().expect("run os2gov");
    // SAFETY: a zeroed rusage is a valid out-pointer.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    Measured {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

/// A mail body as a reader sees it: no-break spaces and hyphens as plain ones, and the
/// `white-space:nowrap` spans that keep dates and amounts on one line taken out.
pub fn as_read(body: &str) -> String {
    body.replace("<span style=\"white-space:nowrap;\">", "")
        .replace("</span>", "")
        .replace('\u{2011}', "-")
        .replace('\u{a0}', " ")
}
