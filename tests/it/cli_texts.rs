//! What the command line says: help in one language per `--lang` (clap's own texts
//! included), `-q` for every command, and summaries whose paths and suggested commands
//! work from where the user stands.

use crate::util::TestDir;
use std::process::Command;

fn os2gov(cwd: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_os2gov"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("OS2GOV_SMTP_PASSWORD")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn help(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = os2gov(dir.path(), args);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn help_speaks_danish_by_default() {
    let text = ["--help", "check --help", "run --help", "init --help"]
        .iter()
        .map(|a| format!("$ os2gov {a}\n{}", help(&a.split(' ').collect::<Vec<_>>())))
        .collect::<Vec<_>>()
        .join("\n");
    for english in
        ["[default:", "[possible values:", "<FILE>", "<DATE>", "[OPTIONS]", "<COMMAND>", "Usage:", "Options:"]
    {
        assert!(!text.contains(english), "{english} in the Danish help:\n{text}");
    }
    assert!(text.contains("[standard: text]") && text.contains("[mulige værdier: text, json]"), "{text}");
    insta::assert_snapshot!("help_da", text);
}

#[test]
fn help_speaks_english_with_lang_en() {
    let text = ["--help", "check --help", "run --help", "init --help"]
        .iter()
        .map(|a| {
            let mut args: Vec<&str> = a.split(' ').collect();
            args.extend(["--lang", "en"]);
            format!("$ os2gov {a} --lang en\n{}", help(&args))
        })
        .collect::<Vec<_>>()
        .join("\n");
    for danish in ["<FIL>", "<DATO>", "<NIVEAU>", "ÅÅÅÅ-MM", "<STI>", "<MAPPE>", "[standard:", "mulige", "Tilvalg"]
    {
        assert!(!text.contains(danish), "{danish} in the English help:\n{text}");
    }
    assert!(text.contains("--period <YYYY-MM>") && text.contains("--fail-on <LEVEL>"), "{text}");
    insta::assert_snapshot!("help_en", text);
}

#[test]
fn parse_errors_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, da) = os2gov(dir.path(), &["check", "--format", "xml"]);
    assert_eq!(code, 2);
    let (_, _, en) = os2gov(dir.path(), &["check", "--format", "xml", "--lang", "en"]);
    insta::assert_snapshot!("parse_error_da", da);
    insta::assert_snapshot!("parse_error_en", en);
}

/// A working folder in `parent/arbejde`, with two projects, one with an error.
fn nested() -> (TestDir, std::path::PathBuf) {
    let parent = TestDir::new();
    let dir = parent.join("arbejde");
    let (code, _, err) = os2gov(parent.path(), &["init", "arbejde", "--as-of", "2026-11-26"]);
    assert_eq!(code, 0, "{err}");
    let rules_bytes = std::fs::read(dir.join("styringsmodel.xlsx")).unwrap();
    let rules = os2gov::load::styringsmodel::load_rules(&rules_bytes, crate::util::as_of()).unwrap().rules;
    let write = |name: &str, filled: &os2gov::model::filled::Filled| {
        let mut wb = os2gov::render::projektark::build_projektark(&rules, filled).unwrap();
        wb.save(dir.join("indsendt").join(name)).unwrap();
    };
    let clean = |id: &str| {
        os2gov::check::fixtures::clean(
            &rules,
            id,
            rules.find_level("N1").unwrap(),
            rules.find_phase("Igangsat").unwrap(),
            crate::util::as_of(),
        )
    };
    write("iot.xlsx", &clean("OS2iot"));
    let mut broken = clean("OS2loop");
    broken.fields.retain(|(k, _)| *k != os2gov::model::layout::FieldKey::Lead);
    write("loop.xlsx", &broken);
    (parent, dir)
}

#[test]
fn the_run_summary_is_right_from_another_folder() {
    let (parent, _) = nested();
    let args = ["run", "--config", "arbejde/os2gov.toml", "--as-of", "2026-11-26"];
    let (code, out, err) = os2gov(parent.path(), &args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Filerne ligger i arbejde/ud/2026-11/:"), "{out}");
    assert!(
        out.contains(
            "Se dem i arbejde/ud/2026-11/post/ og send dem med: os2gov run --send --config arbejde/os2gov.toml --as-of 2026-11-26"
        ),
        "{out}"
    );
    assert!(!out.contains("erstattet"), "the first run replaces nothing: {out}");
    // The suggested paths exist as printed, from here.
    assert!(parent.join("arbejde/ud/2026-11/post").is_dir());
    // A second run says it replaced the period folder.
    let (_, out, _) = os2gov(parent.path(), &args);
    assert!(
        out.contains("Bemærk: arbejde/ud/2026-11/ fandtes fra en tidligere kørsel, som der ikke var sendt mails fra, og er erstattet"),
        "{out}"
    );
    // English, from inside the working folder: no --config to carry.
    let (_, out, _) = os2gov(&parent.join("arbejde"), &["run", "--as-of", "2026-11-26", "--lang", "en"]);
    assert!(out.contains("The files are in ud/2026-11/:"), "{out}");
    assert!(out.contains("and send them with: os2gov run --send --as-of 2026-11-26 --lang en"), "{out}");
    // check names each file as seen from where the user stands.
    let (_, out, _) = os2gov(parent.path(), &["check", "--config", "arbejde/os2gov.toml", "--as-of", "2026-11-26"]);
    assert!(out.contains("(arbejde/indsendt/loop.xlsx)"), "{out}");
}

#[test]
fn quiet_means_errors_and_one_line_for_every_command() {
    let (parent, dir) = nested();
    let cfg = ["--config", "arbejde/os2gov.toml", "--as-of", "2026-11-26", "-q"];
    let with = |args: &[&str]| -> (i32, String, String) {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(cfg);
        os2gov(parent.path(), &all)
    };
    // check: the errors of the project that has them, and the summary line.
    let (code, out, err) = with(&["check"]);
    assert_eq!((code, err.as_str()), (1, ""));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("OS2loop"), "{out}");
    assert!(lines[1..lines.len() - 1].iter().all(|l| l.trim_start().starts_with("fejl")), "{out}");
    assert!(lines.last().unwrap().starts_with("I alt: 2 projektark kontrolleret"), "{out}");
    assert!(!out.contains("OS2iot"), "a project without errors is not listed: {out}");
    // Every other command: one line.
    for args in [
        vec!["rules"],
        vec!["template", "-o", "arbejde/ny.xlsx"],
        vec!["annotate", "-o", "arbejde/kopier"],
        vec!["digest", "-o", "arbejde/udkast"],
        vec!["run"],
        vec!["report", "arbejde/indsendt/iot.xlsx", "-o", "arbejde/iot.md"],
    ] {
        let (code, out, err) = with(&args);
        assert!(code == 0, "{args:?}: {code}\n{out}\n{err}");
        assert_eq!(out.lines().count(), 1, "{args:?}:\n{out}");
        assert_eq!(err, "", "{args:?}");
    }
    let (code, out, _) = os2gov(parent.path(), &["init", "ny-mappe", "-q"]);
    assert_eq!((code, out.lines().count()), (0, 1), "{out}");
    assert!(dir.join("kopier/OS2loop.xlsx").is_file());
}

#[test]
fn an_unreadable_file_is_named_once_with_the_true_reason() {
    let dir = TestDir::new().init();
    std::fs::write(dir.join("indsendt/gammel.csv"), "Felt;Værdi\nProjekt-ID;OS2x\n").unwrap();
    let out = dir.run(&["check"]).code(3).stdout();
    let line = out.lines().find(|l| l.contains("gammel.csv")).unwrap();
    assert_eq!(line.matches("gammel.csv").count(), 1, "{line}");
    assert!(line.contains("CSV-fil") && !line.contains("selv om navnet siger"), "{line}");
    // A file named .xlsx that is not one: then the name does say so.
    std::fs::write(dir.join("indsendt/falsk.xlsx"), "ikke en projektmappe").unwrap();
    let out = dir.run(&["check", "--lang", "en"]).code(3).stdout();
    let line = out.lines().find(|l| l.contains("falsk.xlsx")).unwrap();
    assert!(line.contains("whatever its name says"), "{line}");
}

#[test]
fn init_puts_the_blank_projektark_beside_the_inbox() {
    let dir = TestDir::new();
    let (code, out, _) = os2gov(dir.path(), &["init", "ny"]);
    assert_eq!(code, 0);
    assert!(dir.join("ny/projektark-skabelon.xlsx").is_file());
    assert_eq!(std::fs::read_dir(dir.join("ny/indsendt")).unwrap().count(), 0, "the inbox starts empty");
    assert!(out.contains("cd ny && os2gov rules"), "{out}");
    // The folder is ready: check finds nothing to check and says so.
    let (_, out, _) = os2gov(&dir.join("ny"), &["check"]);
    assert!(out.contains("Ingen projektark (.xlsx) fundet i indsendt"), "{out}");
}
