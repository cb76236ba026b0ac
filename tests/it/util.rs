//! A small builder for test folders and a runner for the real binary.

use os2gov::rules::defaults::{SheetData, default_model};
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
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
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
        self.run_in(&target, &["init", target.to_str().unwrap()])
            .code(0);
        self
    }

    /// The default styringsmodel with changes, written as `styringsmodel.xlsx`.
    pub fn model(self, change: impl FnOnce(&mut Vec<SheetData>)) -> TestDir {
        let mut sheets = default_model(as_of());
        change(&mut sheets);
        os2gov::rules::write::write_model(&self.join("styringsmodel.xlsx"), &sheets)
            .expect("write model");
        self
    }

    /// Runs os2gov in the folder with `--as-of` fixed.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args)
    }

    fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_os2gov"));
        cmd.current_dir(cwd).args(args);
        if !args.contains(&"--as-of") {
            cmd.args(["--as-of", AS_OF]);
        }
        cmd.env_remove("OS2GOV_SMTP_PASSWORD").env("NO_COLOR", "1");
        Run {
            output: cmd.output().expect("run os2gov"),
        }
    }
}

pub struct Run {
    pub output: Output,
}

impl Run {
    #[track_caller]
    pub fn code(self, expected: i32) -> Run {
        let got = self.output.status.code();
        assert_eq!(
            got,
            Some(expected),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
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
    sheets
        .iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}
