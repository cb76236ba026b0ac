//! `os2gov run`, the monthly batch, on real working folders: changes between two
//! periods, kills at every stage, the lock, idempotent sending over a real SMTP server on
//! 127.0.0.1, exit codes and the summary, quiet and progress output, and the manifest.

use crate::util::{AS_OF, Run, TestDir, cells, codes_of, date, set};
use os2gov::model::cell::Value;
use os2gov::model::filled::Filled;
use os2gov::model::layout::FieldKey;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const OCT: &str = "2026-10-29";
const NOV: &str = AS_OF;
const PASSWORD: &str = "hemmelig-kode-123";
const FAULT_POINTS: [&str; 5] =
    ["after-check", "after-annotate", "before-publish-folder", "before-publish", "after-publish"];

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A working folder as `os2gov init` makes it, without the blank projektark.
fn workdir() -> TestDir {
    TestDir::new().init()
}

/// A clean projektark dated relative to `as_of` (so an October run sees no future dates).
fn clean_at(dir: &TestDir, id: &str, level: &str, phase: &str, as_of: &str) -> Filled {
    dir.clean_on(id, level, phase, date(as_of))
}

/// Runs os2gov in the folder like `TestDir::run`, with extra environment variables.
fn run_env(dir: &TestDir, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_os2gov"));
    cmd.current_dir(dir.path()).args(args);
    if !args.contains(&"--as-of") {
        cmd.args(["--as-of", AS_OF]);
    }
    cmd.env_remove("OS2GOV_SMTP_PASSWORD").env_remove("OS2GOV_FAULT").env("NO_COLOR", "1");
    cmd.envs(env.iter().copied());
    Run { output: cmd.output().expect("run os2gov") }
}

fn read_json(path: &Path) -> Json {
    let s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{} is not JSON ({e})", path.display()))
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `root` (relative, `/`-separated) with the sha256 of its bytes.
fn tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, sha256(&std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Every file under `root`, with its path.
fn files(root: &Path) -> Vec<PathBuf> {
    tree(root).keys().map(|rel| root.join(rel)).collect()
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The `changes` of a findings JSON.
fn changes(j: &Json) -> &Vec<Json> {
    j["changes"].as_array().expect("changes array")
}

/// Whether `j` has a change of this project and kind with these string fields.
fn has_change(j: &Json, project: &str, kind: &str, extra: &[(&str, &str)]) -> bool {
    changes(j)
        .iter()
        .any(|c| c["project"] == project && c["kind"] == kind && extra.iter().all(|(k, v)| c[*k].as_str() == Some(*v)))
}

// ---------------------------------------------------------------------------------------
// 1. Two consecutive periods

#[test]
fn two_consecutive_periods_report_the_changes_since_last_run() {
    let dir = workdir();
    // October.
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", OCT));
    dir.projektark("indsendt/kitos.xlsx", &clean_at(&dir, "OS2kitos", "N1", "Igangsat", OCT));
    dir.projektark("indsendt/mo.xlsx", &clean_at(&dir, "OS2mo", "N2", "Implementering", OCT));
    let mut lp = clean_at(&dir, "OS2loop", "SB", "Igangsat", OCT);
    lp.answers.iter_mut().find(|a| a.id == "F4").unwrap().dokumentation = Value::Blank;
    dir.projektark("indsendt/loop.xlsx", &lp);
    let out = dir.run(&["run", "--as-of", OCT]).code(0).stdout();
    assert!(out.contains("os2gov run 2026-10 "), "{out}");
    assert!(out.contains("Ingen tidligere periode at sammenligne med."), "{out}");
    let oct = read_json(&dir.join("ud/2026-10/fund-2026-10.json"));
    assert_eq!(oct["period"], "2026-10");
    assert_eq!(oct["previous_period"], Json::Null);
    assert!(changes(&oct).is_empty(), "{:#}", oct["changes"]);
    assert_eq!(codes_of(&oct, "OS2loop"), ["KRAV-NO-EVIDENCE"]);
    for id in ["OS2iot", "OS2kitos", "OS2mo"] {
        assert!(codes_of(&oct, id).is_empty(), "{id}: {:?}", codes_of(&oct, id));
    }

    // November. Each sheet keeps October's status report beside November's, as leads add
    // reports (a report gone from the sheet is REPORT-ROW-CHANGED, issue 20).
    let kept = |id: &str, level: &str, phase: &str| {
        let mut f = clean_at(&dir, id, level, phase, NOV);
        let october = clean_at(&dir, id, level, phase, OCT).status;
        f.status.splice(0..0, october);
        f
    };
    // (a) phase change with its Historik row (the clean sheet's path ends Igangsat → Implementering),
    dir.projektark("indsendt/iot.xlsx", &kept("OS2iot", "N2", "Implementering"));
    // (b) phase change without one,
    let mut kitos = kept("OS2kitos", "N1", "Igangsat");
    set(&mut kitos, FieldKey::Phase, text("Implementering"));
    dir.projektark("indsendt/kitos.xlsx", &kitos);
    // (c) a level change (N2 and N3 share the transitions, so the history stays valid),
    dir.projektark("indsendt/mo.xlsx", &kept("OS2mo", "N3", "Implementering"));
    // (e) October's KRAV-NO-EVIDENCE fixed,
    dir.projektark("indsendt/loop.xlsx", &kept("OS2loop", "SB", "Igangsat"));
    // (d) and a new project.
    dir.projektark("indsendt/faktor.xlsx", &clean_at(&dir, "OS2faktor", "N1", "Koncept", NOV));
    let out = dir.run(&["run", "--as-of", NOV]).code(0).stdout();
    assert!(out.contains("os2gov run 2026-11 "), "{out}");

    let nov = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    assert_eq!(nov["period"], "2026-11");
    assert_eq!(nov["previous_period"], "2026-10");
    let all = format!("{:#}", nov["changes"]);
    assert!(has_change(&nov, "OS2iot", "phase_changed", &[("from", "Igangsat"), ("to", "Implementering")]), "{all}");
    assert!(has_change(&nov, "OS2kitos", "phase_changed", &[("from", "Igangsat"), ("to", "Implementering")]), "{all}");
    assert!(has_change(&nov, "OS2mo", "level_changed", &[("from", "N2"), ("to", "N3")]), "{all}");
    assert!(has_change(&nov, "OS2faktor", "new_project", &[]), "{all}");
    assert!(
        has_change(&nov, "OS2loop", "resolved_finding", &[("code", "KRAV-NO-EVIDENCE"), ("requirement", "F4")]),
        "{all}"
    );
    assert!(has_change(&nov, "OS2kitos", "new_finding", &[("code", "PHASE-CHANGED-UNLOGGED")]), "{all}");
    assert!(has_change(&nov, "OS2mo", "new_finding", &[("code", "LEVEL-CHANGED")]), "{all}");
    // Nothing else changed for the project whose phase change was logged.
    for c in changes(&nov).iter().filter(|c| c["project"] == "OS2iot") {
        assert_eq!(c["kind"], "phase_changed", "{all}");
    }
    // The new project appears once, not with a "new finding" per finding.
    assert_eq!(changes(&nov).iter().filter(|c| c["project"] == "OS2faktor").count(), 1, "{all}");
    assert!(!changes(&nov).iter().any(|c| c["kind"] == "gone_project"), "{all}");

    // The two finding codes, on the right projects only.
    let codes = |id: &str| codes_of(&nov, id);
    assert!(codes("OS2kitos").contains(&"PHASE-CHANGED-UNLOGGED".to_string()), "{:?}", codes("OS2kitos"));
    assert!(codes("OS2mo").contains(&"LEVEL-CHANGED".to_string()), "{:?}", codes("OS2mo"));
    assert!(codes("OS2iot").is_empty(), "a logged phase change is clean: {:?}", codes("OS2iot"));
    assert!(codes("OS2loop").is_empty(), "{:?}", codes("OS2loop"));
    for id in ["OS2iot", "OS2loop", "OS2faktor", "OS2mo"] {
        assert!(!codes(id).contains(&"PHASE-CHANGED-UNLOGGED".to_string()), "{id}: {:?}", codes(id));
    }
    for id in ["OS2iot", "OS2loop", "OS2faktor", "OS2kitos"] {
        assert!(!codes(id).contains(&"LEVEL-CHANGED".to_string()), "{id}: {:?}", codes(id));
    }
    let n = changes(&nov).len();
    assert!(out.contains(&format!("Ændringer siden 2026-10: {n}")), "{out}");

    // The portfolio workbook's Ændringer sheet has one row per change.
    let sheet = cells(&dir.join("ud/2026-11/portefoelje-2026-11.xlsx"), "Ændringer");
    let header = sheet.iter().position(|r| r.first().map(String::as_str) == Some("Projekt-ID")).expect("header row");
    let rows: Vec<&Vec<String>> = sheet[header + 1..].iter().filter(|r| r.iter().any(|c| !c.is_empty())).collect();
    assert_eq!(rows.len(), n, "{sheet:#?}");
    let row_with =
        |want: &[&str]| rows.iter().any(|r| want.iter().enumerate().all(|(i, w)| w.is_empty() || r[i] == *w));
    assert!(row_with(&["OS2faktor", "Nyt projekt"]), "{sheet:#?}");
    assert!(row_with(&["OS2mo", "Niveau", "N2", "N3"]), "{sheet:#?}");
    assert!(row_with(&["OS2iot", "Fase", "Igangsat", "Implementering"]), "{sheet:#?}");
    assert!(row_with(&["OS2kitos", "Fase", "Igangsat", "Implementering"]), "{sheet:#?}");
    assert!(row_with(&["OS2kitos", "Nyt fund", "", "", "PHASE-CHANGED-UNLOGGED"]), "{sheet:#?}");
    assert!(row_with(&["OS2loop", "Løst fund", "", "", "KRAV-NO-EVIDENCE", "F4"]), "{sheet:#?}");
    let descriptions: Vec<&str> = rows.iter().map(|r| r[7].as_str()).collect();
    assert!(descriptions.contains(&"OS2mo: niveau N2 → N3"), "{descriptions:?}");

    // The digest (HTML preview and the plain-text part of the .eml) has the changes section.
    let post = dir.join("ud/2026-11/post");
    let first = names(&post).into_iter().find(|n| n.starts_with("001-digest-")).expect("a digest");
    let stem = first.trim_end_matches(".eml").trim_end_matches(".html");
    let html = std::fs::read_to_string(post.join(format!("{stem}.html"))).unwrap();
    let eml = std::fs::read(post.join(format!("{stem}.eml"))).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&eml).expect("eml parses");
    let plain = crate::util::as_read(&parsed.body_text(0).expect("a text part"));
    let html = crate::util::as_read(&html);
    for body in [&html, &plain] {
        assert!(body.contains("2026-10"), "{body}");
        for line in [
            "OS2faktor: nyt projekt",
            "OS2mo: niveau N2 → N3",
            "OS2iot: fase Igangsat → Implementering",
            "OS2kitos: fase Igangsat → Implementering",
        ] {
            assert!(body.contains(line), "{line} not in\n{body}");
        }
    }
    assert!(html.contains("Ændringer siden 2026-10"), "{html}");
    assert!(plain.contains("ÆNDRINGER SIDEN 2026-10"), "{plain}");
    assert!(plain.contains("OS2loop: 0 nye fund, 1 løst"), "{plain}");
    // And October's folder is still there, untouched by November.
    assert!(dir.join("ud/2026-10/fund-2026-10.json").is_file());
}

// ---------------------------------------------------------------------------------------
// 2. Killed at any stage

/// The visible entries of `ud/` are only finished period folders; anything else is hidden
/// (`.tmp-*`, `.old-*`, the lock) or the ledger.
#[track_caller]
fn only_finished_periods_visible(ud: &Path, periods: &[&str]) {
    for name in names(ud) {
        if name.starts_with('.') {
            assert!(
                name.starts_with(".tmp-") || name.starts_with(".old-") || name == ".os2gov.lock",
                "unexpected hidden entry {name} in ud/"
            );
        } else {
            assert!(periods.contains(&name.as_str()), "unexpected {name} in ud/ ({:?})", names(ud));
        }
    }
}

#[track_caller]
fn no_leftovers(ud: &Path) {
    let left: Vec<String> = names(ud).into_iter().filter(|n| n.starts_with('.')).collect();
    assert!(left.is_empty(), "left in ud/: {left:?}");
}

fn created(ud: &Path, period: &str) -> String {
    read_json(&ud.join(period).join("manifest.json"))["created"].as_str().unwrap().to_string()
}

#[test]
fn a_run_killed_at_any_stage_leaves_the_previous_good_period_folder() {
    if !crate::util::faults_compiled_in("a_run_killed_at_any_stage_leaves_the_previous_good_period_folder") {
        return;
    }
    let dir = workdir();
    let ud = dir.join("ud");
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", OCT));
    dir.projektark("indsendt/kitos.xlsx", &clean_at(&dir, "OS2kitos", "N1", "Igangsat", OCT));
    dir.run(&["run", "--as-of", OCT]).code(0);
    let october = tree(&ud.join("2026-10"));
    let mut kitos = clean_at(&dir, "OS2kitos", "N1", "Igangsat", NOV);
    set(&mut kitos, FieldKey::Phase, text("Implementering"));
    dir.projektark("indsendt/kitos.xlsx", &kitos);
    dir.run(&["run"]).code(0);
    let mut good = tree(&ud.join("2026-11"));
    assert!(good.contains_key("manifest.json") && good.contains_key("fund-2026-11.json"), "{good:#?}");

    for point in FAULT_POINTS {
        let good_created = created(&ud, "2026-11");
        let killed = run_env(&dir, &["run"], &[("OS2GOV_FAULT", point)]);
        assert_eq!(killed.output.status.code(), Some(99), "{point}: {}", killed.stderr());
        only_finished_periods_visible(&ud, &["2026-10", "2026-11"]);
        assert_eq!(tree(&ud.join("2026-10")), october, "{point}: October changed");
        match point {
            "after-publish" => {
                // The new folder was complete when it was put in place.
                let now = tree(&ud.join("2026-11"));
                assert_eq!(now.keys().collect::<Vec<_>>(), good.keys().collect::<Vec<_>>(), "{point}");
                assert_ne!(now, good, "{point}: the folder should be the new run's");
                assert!(created(&ud, "2026-11") > good_created, "{point}");
            }
            "before-publish" => {
                // The old folder was moved aside and the new one not yet put in place.
                assert!(!ud.join("2026-11").exists(), "{point}: {:?}", names(&ud));
                let aside: Vec<String> = names(&ud).into_iter().filter(|n| n.starts_with(".old-2026-11")).collect();
                assert_eq!(aside.len(), 1, "{point}: {:?}", names(&ud));
                assert_eq!(tree(&ud.join(&aside[0])), good, "{point}: the folder moved aside changed");
                // The next run puts it back before it does anything else: prove it with a
                // run that stops right after checking.
                let again = run_env(&dir, &["run"], &[("OS2GOV_FAULT", "after-check")]);
                assert_eq!(again.output.status.code(), Some(99), "{}", again.stderr());
                assert_eq!(tree(&ud.join("2026-11")), good, "{point}: not restored");
                assert!(!names(&ud).iter().any(|n| n.starts_with(".old-")), "{point}: {:?}", names(&ud));
                // Killed there once more; this time the normal run below restores it and says so.
                let killed = run_env(&dir, &["run"], &[("OS2GOV_FAULT", point)]);
                assert_eq!(killed.output.status.code(), Some(99), "{point}: {}", killed.stderr());
                assert!(!ud.join("2026-11").exists(), "{point}: {:?}", names(&ud));
            }
            _ => assert_eq!(tree(&ud.join("2026-11")), good, "{point}: the good November folder changed"),
        }
        let lock = std::fs::read_to_string(ud.join(".os2gov.lock")).expect("a killed run leaves its lock");

        // The next normal run cleans up, takes over the dead run's lock and completes.
        let out = dir.run(&["run"]).code(0).stdout();
        let pid = lock.lines().find_map(|l| l.strip_prefix("pid=")).unwrap();
        assert!(out.contains(&format!("Overtog en efterladt lås fra proces {pid}.")), "{point}:\n{out}");
        let cleanup: Vec<&str> = out.lines().filter(|l| l.starts_with("Oprydning efter en afbrudt kørsel")).collect();
        match point {
            "after-check" | "after-publish" => assert!(cleanup.is_empty(), "{point}:\n{out}"),
            "before-publish" => assert!(cleanup.iter().any(|l| l.contains("2026-11")), "{point}:\n{out}"),
            _ => assert!(!cleanup.is_empty(), "{point}:\n{out}"),
        }
        no_leftovers(&ud);
        assert_eq!(names(&ud), ["2026-10", "2026-11"]);
        assert_eq!(tree(&ud.join("2026-10")), october);
        let nov = read_json(&ud.join("2026-11/fund-2026-11.json"));
        assert_eq!(nov["previous_period"], "2026-10", "{point}");
        assert!(codes_of(&nov, "OS2kitos").contains(&"PHASE-CHANGED-UNLOGGED".to_string()), "{point}");
        let now = tree(&ud.join("2026-11"));
        assert_eq!(now.keys().collect::<Vec<_>>(), good.keys().collect::<Vec<_>>(), "{point}");
        good = now;
    }
}

#[test]
fn a_run_killed_during_the_first_run_of_a_period_leaves_no_period_folder() {
    if !crate::util::faults_compiled_in("a_run_killed_during_the_first_run_of_a_period_leaves_no_period_folder") {
        return;
    }
    let dir = workdir();
    let ud = dir.join("ud");
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));
    for point in FAULT_POINTS.iter().filter(|p| **p != "after-publish") {
        let killed = run_env(&dir, &["run"], &[("OS2GOV_FAULT", point)]);
        assert_eq!(killed.output.status.code(), Some(99), "{point}: {}", killed.stderr());
        assert!(!ud.join("2026-11").exists(), "{point}: {:?}", names(&ud));
        only_finished_periods_visible(&ud, &[]);
    }
    dir.run(&["run"]).code(0);
    no_leftovers(&ud);
    assert_eq!(names(&ud), ["2026-11"]);
    assert!(dir.join("ud/2026-11/manifest.json").is_file());
}

// ---------------------------------------------------------------------------------------
// 3. The lock

fn this_host() -> String {
    std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string()).unwrap_or_default()
}

#[test]
fn a_held_lock_refuses_the_run_and_a_leftover_one_is_taken_over_even_if_its_pid_lives() {
    let dir = workdir();
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));
    let ud = dir.join("ud");
    let lock = ud.join(".os2gov.lock");
    // A run in progress: this test process holds the operating-system lock.
    let (held, _) = os2gov::run::workdir::lock(&ud, "2026-11-26T06:00:00+01:00").unwrap();
    let content = std::fs::read_to_string(&lock).unwrap();
    let me = std::process::id();
    let run = dir.run(&["run"]).code(2);
    let err = run.stderr();
    assert!(err.contains("En anden kørsel af os2gov er i gang i denne arbejdsmappe"), "{err}");
    assert!(err.contains(&format!("proces {me}")), "{err}");
    assert!(err.contains("startet 2026-11-26T06:00:00+01:00"), "{err}");
    assert!(err.contains(".os2gov.lock"), "the message names the lock file: {err}");
    assert!(run.stdout().is_empty(), "{}", run.stdout());
    assert!(!ud.join("2026-11").exists());
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), content, "someone else's lock is left alone");
    let en = dir.run(&["run", "--lang", "en"]).code(2).stderr();
    assert!(en.contains(&format!("Another os2gov run is in progress in this working folder (process {me}")), "{en}");
    drop(held);

    // A run killed with -9 leaves its file, and its pid may since belong to another, live
    // process (pid reuse): the file holds no lock, so it is taken over.
    std::fs::create_dir_all(&ud).unwrap();
    let mut child = Command::new("sleep").arg("30").spawn().expect("start sleep");
    let pid = child.id();
    std::fs::write(&lock, format!("pid={pid}\nhost={}\nstarted=2026-11-26T06:00:00+01:00\n", this_host())).unwrap();
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(out.contains(&format!("Overtog en efterladt lås fra proces {pid}.")), "{out}");
    assert!(!lock.exists(), "the lock is released after the run");
    assert!(ud.join("2026-11/manifest.json").is_file());
    child.kill().unwrap();
    child.wait().unwrap();
    // A normal run takes and releases its own lock and says nothing about it.
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(!out.contains("lås"), "{out}");
    assert!(!lock.exists());
    // A run that fails (a broken styringsmodel) releases the lock too.
    std::fs::write(dir.join("styringsmodel.xlsx"), "ikke en projektmappe").unwrap();
    dir.run(&["run"]).code(2);
    assert!(!lock.exists());
}

#[test]
fn a_leftover_lock_file_naming_another_machine_holds_nothing() {
    // Only the operating-system lock counts (on a shared file system it is held across
    // machines too); a file's text never blocks a run.
    let dir = workdir();
    let ud = dir.join("ud");
    std::fs::create_dir_all(&ud).unwrap();
    std::fs::write(ud.join(".os2gov.lock"), "pid=4294967\nhost=anden-maskine\nstarted=i morges\n").unwrap();
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(out.contains("Overtog en efterladt lås fra proces 4294967."), "{out}");
    assert!(!ud.join(".os2gov.lock").exists());
}

// ---------------------------------------------------------------------------------------
// 4. Sending: a real SMTP server on 127.0.0.1

/// A tiny SMTP server for these tests: plain SMTP on 127.0.0.1 (the `mailin` state
/// machine), accepting every message, optionally requiring AUTH PLAIN/LOGIN.
pub(crate) mod smtp {
    use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder};
    use std::io::{BufRead, BufReader, Write};
    use std::net::{IpAddr, TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[derive(Clone, Debug)]
    pub struct Received {
        pub to: Vec<String>,
        pub data: Vec<u8>,
    }

    #[derive(Default)]
    struct State {
        messages: Vec<Received>,
        logins: Vec<(String, String)>,
    }

    pub struct Server {
        pub port: u16,
        state: Arc<Mutex<State>>,
    }

    impl Server {
        /// Starts the server; with `auth`, only that user and password may send.
        pub fn start(auth: Option<(&str, &str)>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
            let port = listener.local_addr().unwrap().port();
            let state = Arc::new(Mutex::new(State::default()));
            let auth = auth.map(|(u, p)| (u.to_string(), p.to_string()));
            let st = state.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let (st, auth) = (st.clone(), auth.clone());
                    std::thread::spawn(move || serve(stream, auth, st));
                }
            });
            Server { port, state }
        }

        pub fn messages(&self) -> Vec<Received> {
            self.state.lock().unwrap().messages.clone()
        }

        pub fn logins(&self) -> Vec<(String, String)> {
            self.state.lock().unwrap().logins.clone()
        }
    }

    #[derive(Clone)]
    struct Accept {
        auth: Option<(String, String)>,
        state: Arc<Mutex<State>>,
        to: Vec<String>,
        data: Vec<u8>,
    }

    impl Accept {
        fn login(&mut self, user: &str, password: &str) -> Response {
            self.state.lock().unwrap().logins.push((user.to_string(), password.to_string()));
            match &self.auth {
                Some((u, p)) if u == user && p == password => mailin::response::AUTH_OK,
                _ => mailin::response::INVALID_CREDENTIALS,
            }
        }
    }

    impl Handler for Accept {
        fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
            self.to.clear();
            self.data.clear();
            mailin::response::OK
        }

        fn rcpt(&mut self, to: &str) -> Response {
            self.to.push(to.trim_matches(|c| c == '<' || c == '>').to_string());
            mailin::response::OK
        }

        fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
            self.data.extend_from_slice(buf);
            Ok(())
        }

        fn data_end(&mut self) -> Response {
            let received = Received { to: std::mem::take(&mut self.to), data: std::mem::take(&mut self.data) };
            self.state.lock().unwrap().messages.push(received);
            mailin::response::OK
        }

        fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
            self.login(user, password)
        }

        fn auth_login(&mut self, user: &str, password: &str) -> Response {
            self.login(user, password)
        }
    }

    fn serve(tcp: TcpStream, auth: Option<(String, String)>, state: Arc<Mutex<State>>) {
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(20)));
        let peer = tcp.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let mut builder = SessionBuilder::new("smtp.test.os2gov");
        if auth.is_some() {
            builder.enable_auth(AuthMechanism::Plain);
            builder.enable_auth(AuthMechanism::Login);
            builder.insecure_enable_plaintext_auth();
        }
        let handler = Accept { auth, state, to: vec![], data: vec![] };
        let mut session = builder.build(peer, handler);
        let Ok(mut out) = tcp.try_clone() else { return };
        if out.write_all(&session.greeting().buffer().unwrap()).is_err() {
            return;
        }
        let mut reader = BufReader::new(tcp);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let res = session.process(&line);
            if res.write_to(&mut out).and_then(|_| out.flush()).is_err() {
                return;
            }
            if matches!(res.action, Action::Close | Action::UpgradeTls) {
                return;
            }
        }
    }
}

/// Points `[smtp]` of the folder's os2gov.toml at the test server.
pub(crate) fn use_server(dir: &TestDir, port: u16, username: &str) {
    let path = dir.join("os2gov.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let toml = toml
        .replace("host = \"smtp.example.dk\"", "host = \"127.0.0.1\"")
        .replace("port = 587", &format!("port = {port}"))
        .replace("security = \"starttls\"", "security = \"none\"")
        .replace("username = \"\"", &format!("username = \"{username}\""))
        .replace("timeout_s = 30", "timeout_s = 5");
    assert!(toml.contains(&format!("port = {port}")) && toml.contains("security = \"none\""), "{toml}");
    std::fs::write(path, toml).unwrap();
}

/// The ledger's lines recording sent messages (its intent lines are checked apart).
fn ledger_lines(dir: &TestDir) -> Vec<Json> {
    all_ledger_lines(dir).into_iter().filter(|l| l["state"] == "sent").collect()
}

fn all_ledger_lines(dir: &TestDir) -> Vec<Json> {
    match std::fs::read_to_string(dir.join("ud/sendt.jsonl")) {
        Ok(s) => s.lines().map(|l| serde_json::from_str(l).expect("a ledger line is JSON")).collect(),
        Err(_) => Vec::new(),
    }
}

/// Five active Modtagere in the default model.
const BOARD: [&str; 5] = [
    "anne.moerk@bestyrelse.os2.example",
    "lars.oestergaard@bestyrelse.os2.example",
    "sofie.bech@bestyrelse.os2.example",
    "sekretariat@os2.example",
    "jonas.berg@observer.example",
];

#[test]
fn re_running_a_sent_period_sends_nothing_new_unless_resend() {
    let server = smtp::Server::start(None);
    let dir = workdir();
    use_server(&dir, server.port, "");
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));
    let mut kitos = clean_at(&dir, "OS2kitos", "N1", "Igangsat", NOV);
    set(&mut kitos, FieldKey::LeadEmail, text("lone.kitos@kk.dk"));
    dir.projektark("indsendt/kitos.xlsx", &kitos);
    let n = BOARD.len() + 2;

    // Without --send nothing goes out.
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(out.contains("Ingen mails er sendt"), "{out}");
    assert!(server.messages().is_empty());
    assert!(ledger_lines(&dir).is_empty());

    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains(&format!("Sendt: {n} · allerede sendt tidligere: 0 · afvist: 0 · udskudt: 0")), "{out}");
    let got = server.messages();
    assert_eq!(got.len(), n);
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    let mut want: Vec<String> = BOARD.iter().map(|s| s.to_string()).collect();
    want.extend(["lone.kitos@kk.dk".to_string(), "mette.hansen@aarhus.dk".to_string()]);
    want.sort();
    assert_eq!(to, want);
    let ledger = ledger_lines(&dir);
    assert_eq!(ledger.len(), n);
    assert!(ledger.iter().all(|l| l["period"] == "2026-11"), "{ledger:#?}");
    assert_eq!(ledger.iter().filter(|l| l["kind"] == "digest").count(), BOARD.len());
    let send = &read_json(&dir.join("ud/2026-11/manifest.json"))["messages"]["send"];
    assert_eq!(send["sent"].as_array().unwrap().len(), n, "{send:#}");
    assert_eq!(send["already_sent"], 0);
    // The manifest's Message-IDs are the ledger's.
    let mut ids: Vec<&str> =
        send["sent"].as_array().unwrap().iter().map(|s| s["message_id"].as_str().unwrap()).collect();
    let mut ledger_ids: Vec<&str> = ledger.iter().map(|l| l["message_id"].as_str().unwrap()).collect();
    ids.sort();
    ledger_ids.sort();
    assert_eq!(ids, ledger_ids);

    // The same period again: nothing new, and the summary says so.
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains(&format!("Sendt: 0 · allerede sendt tidligere: {n}")), "{out}");
    assert_eq!(server.messages().len(), n);
    assert_eq!(ledger_lines(&dir).len(), n);
    let send = &read_json(&dir.join("ud/2026-11/manifest.json"))["messages"]["send"];
    assert_eq!(send["sent"].as_array().unwrap().len(), 0, "{send:#}");
    assert_eq!(send["already_sent"], n);

    // --resend sends them all again.
    let out = dir.run(&["run", "--send", "--resend"]).code(0).stdout();
    assert!(out.contains(&format!("Sendt: {n} · allerede sendt tidligere: 0")), "{out}");
    assert_eq!(server.messages().len(), 2 * n);
    assert_eq!(ledger_lines(&dir).len(), 2 * n);
    let send = &read_json(&dir.join("ud/2026-11/manifest.json"))["messages"]["send"];
    assert_eq!(send["sent"].as_array().unwrap().len(), n, "{send:#}");
}

#[test]
fn a_server_that_cannot_be_reached_fails_the_run_but_keeps_the_period_folder() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = workdir();
    use_server(&dir, port, "");
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));
    let run = dir.run(&["run", "--send"]).code(2);
    let err = run.stderr();
    assert!(err.contains(&format!("Kunne ikke sende post via SMTP-serveren 127.0.0.1:{port}")), "{err}");
    assert!(err.contains("Intet blev sendt."), "{err}");
    // The summary still says where the files are; the folder and manifest record the failure.
    assert!(run.stdout().contains("Filerne ligger i ud/2026-11/"), "{}", run.stdout());
    assert!(ledger_lines(&dir).is_empty());
    let m = read_json(&dir.join("ud/2026-11/manifest.json"));
    assert!(
        m["messages"]["send_error"].as_str().is_some_and(|e| e.contains("Nothing was sent")),
        "{:#}",
        m["messages"]
    );
    assert!(!dir.join("ud/.os2gov.lock").exists());
    // --resend alone is refused: it only makes sense with --send.
    dir.run(&["run", "--resend"]).code(2);
}

// ---------------------------------------------------------------------------------------
// 5. Exit codes and the summary

#[test]
fn exit_codes_of_run() {
    // The folder as init makes it, with its blank template put into the inbox anyway: it
    // is said once as skipped, and not checked.
    let dir = TestDir::new().init();
    std::fs::copy(dir.join("projektark-skabelon.xlsx"), dir.join("indsendt/projektark-skabelon.xlsx")).unwrap();
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(out.contains("Kontrolleret: 0 projektark"), "{out}");
    let skipped: Vec<&str> = out.lines().filter(|l| l.contains("projektark-skabelon.xlsx")).collect();
    assert_eq!(
        skipped,
        [
            "info indsendt/projektark-skabelon.xlsx: tomt projektark (skabelon), ikke kontrolleret – slet det, eller udfyld det"
        ],
        "{out}"
    );
    let j = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    assert_eq!(j["projects"].as_array().unwrap().len(), 0);
    assert_eq!(j["skipped"][0]["file"], "indsendt/projektark-skabelon.xlsx");
    let m = read_json(&dir.join("ud/2026-11/manifest.json"));
    assert!(m["inputs"].as_array().unwrap().iter().any(|i| i["status"] == "blank_template"), "{m}");
    // A projektark with only a name has errors, which run reports but does not fail on
    // unless asked.
    let named = os2gov::model::filled::Filled { fields: vec![(FieldKey::Name, text("Et navn"))], ..Default::default() };
    dir.projektark("indsendt/navngivet.xlsx", &named);
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(out.contains("Kontrolleret: 1 projektark · 0 uden fejl"), "{out}");
    dir.run(&["run", "--fail-on", "error"]).code(1);
    dir.run(&["run", "--fail-on", "warning"]).code(1);
    dir.run(&["run", "--fail-on", "never"]).code(0);

    // An unreadable workbook: exit 3, named in the summary, the others are still processed.
    std::fs::write(dir.join("indsendt/ødelagt.xlsx"), b"PK\x03\x04 not really a zip").unwrap();
    let run = dir.run(&["run"]).code(3);
    let out = run.stdout();
    assert!(out.contains("Kunne ikke læses"), "{out}");
    assert!(out.contains("indsendt/ødelagt.xlsx"), "{out}");
    assert!(dir.join("ud/2026-11/annoteret").read_dir().unwrap().count() == 1);
    // Unreadable beats --fail-on.
    dir.run(&["run", "--fail-on", "error"]).code(3);
    let j = read_json(&dir.join("ud/2026-11/fund-2026-11.json"));
    assert_eq!(j["unreadable"][0]["file"], "indsendt/ødelagt.xlsx");
    assert_eq!(j["unreadable"][0]["code"], "INPUT-UNREADABLE");
}

#[test]
fn a_broken_styringsmodel_stops_the_run_without_a_period_folder() {
    let dir = workdir();
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));
    std::fs::write(dir.join("styringsmodel.xlsx"), "dette er ikke en projektmappe").unwrap();
    let run = dir.run(&["run"]).code(2);
    let err = run.stderr();
    assert!(err.contains("GOV-UNREADABLE"), "{err}");
    assert!(err.contains("styringsmodel.xlsx"), "{err}");
    assert!(!dir.join("ud/2026-11").exists());
    no_leftovers(&dir.join("ud"));

    // A model with a mistake in it (an unknown level in Krav) is refused the same way.
    let dir = workdir().model(|sheets| {
        crate::util::sheet(sheets, "Krav").rows[2][2] = os2gov::model::cell::Value::from("N4");
    });
    let err = dir.run(&["run"]).code(2).stderr();
    assert!(err.contains("GOV-REFERENCE-UNKNOWN") && err.contains("Krav!C4"), "{err}");
    assert!(!dir.join("ud/2026-11").exists());
    // A missing one too, with the hint to run init.
    std::fs::remove_file(dir.join("styringsmodel.xlsx")).unwrap();
    let err = dir.run(&["run"]).code(2).stderr();
    assert!(err.contains("findes ikke"), "{err}");
    assert!(!dir.join("ud/2026-11").exists());
}

/// A small folder for the summary snapshots: one clean project, one with a warning and an
/// error, one unreadable file.
fn small_folder() -> TestDir {
    let dir = workdir();
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Implementering", NOV));
    let mut lp = clean_at(&dir, "OS2loop", "SB", "Igangsat", NOV);
    lp.answers.iter_mut().find(|a| a.id == "F4").unwrap().dokumentation = Value::Blank;
    set(&mut lp, FieldKey::LeadEmail, text("ikke en adresse"));
    dir.projektark("indsendt/loop.xlsx", &lp);
    std::fs::write(dir.join("indsendt/gammel.xlsx"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old xls").unwrap();
    dir
}

#[test]
fn the_run_summary_in_danish_and_english() {
    let dir = small_folder();
    let da = dir.run(&["run"]).code(3).stdout();
    let clean = |s: String| s.replace(dir.path().to_str().unwrap(), "<dir>");
    insta::assert_snapshot!("run_summary_da", clean(da));
    let en = dir.run(&["run", "--lang", "en"]).code(3).stdout();
    insta::assert_snapshot!("run_summary_en", clean(en));
}

// ---------------------------------------------------------------------------------------
// 6. Quiet and progress

#[test]
fn quiet_prints_one_line_and_no_progress_codes_reach_a_pipe() {
    let dir = workdir();
    for (i, id) in ["OS2iot", "OS2kitos", "OS2mo", "OS2loop"].iter().enumerate() {
        dir.projektark(&format!("indsendt/p{i}.xlsx"), &clean_at(&dir, id, "N1", "Igangsat", NOV));
    }
    // -q: one line, nothing on stderr when nothing went wrong.
    let line = "os2gov run 2026-11: 4 projektark kontrolleret · 0 fejl, 0 advarsler, 0 info · ud/2026-11/ · ingen mails sendt\n";
    let q = dir.run(&["run", "-q"]).code(0);
    assert_eq!(q.stdout(), line);
    assert_eq!(q.stderr(), "");
    let q = dir.run(&["run", "-q", "--no-progress"]).code(0);
    assert_eq!((q.stdout(), q.stderr()), (line.to_string(), String::new()));
    // Not a terminal: no bar, no escape codes, nothing on stderr.
    let normal = dir.run(&["run"]).code(0);
    assert!(!normal.stdout().is_empty());
    assert_eq!(normal.stderr(), "");
    assert!(!normal.stdout().contains('\x1b'), "{:?}", normal.stdout());
    // -v: one line per stage on stderr, still no escape codes or carriage returns.
    let v = dir.run(&["run", "-v"]).code(0);
    let err = v.stderr();
    assert!(err.contains("· Læser styringsmodellen"), "{err}");
    assert!(err.contains("· Lægger periodemappen på plads"), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\r'), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// 7. The manifest, and the SMTP password

#[test]
fn the_manifest_records_every_input_with_its_sha256() {
    let dir = small_folder();
    dir.run(&["run"]).code(3);
    let period = dir.join("ud/2026-11");
    let m = read_json(&period.join("manifest.json"));
    assert_eq!(m["tool"], "os2gov");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["period"], "2026-11");
    assert_eq!(m["as_of"], "2026-11-26");
    assert!(chrono::DateTime::parse_from_rfc3339(m["created"].as_str().unwrap()).is_ok(), "{}", m["created"]);
    let model = std::fs::read(dir.join("styringsmodel.xlsx")).unwrap();
    assert_eq!(m["styringsmodel"]["file"], "styringsmodel.xlsx");
    assert_eq!(m["styringsmodel"]["version"], "2025.1");
    assert_eq!(m["styringsmodel"]["sha256"], sha256(&model));

    let inputs = m["inputs"].as_array().unwrap();
    let mut listed: Vec<&str> = inputs.iter().map(|i| i["file"].as_str().unwrap()).collect();
    listed.sort();
    assert_eq!(listed, ["indsendt/gammel.xlsx", "indsendt/iot.xlsx", "indsendt/loop.xlsx"]);
    for input in inputs {
        let file = input["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(input["sha256"], sha256(&bytes), "{file}");
        assert_eq!(input["bytes"], bytes.len(), "{file}");
        // The byte copy in input/ is the same file.
        assert_eq!(std::fs::read(period.join("input").join(file)).unwrap(), bytes, "{file}");
    }
    let status = |f: &str| inputs.iter().find(|i| i["file"] == f).unwrap()["status"].clone();
    assert_eq!(status("indsendt/gammel.xlsx"), "unreadable");
    assert_eq!(status("indsendt/iot.xlsx"), "checked");

    let fund = read_json(&period.join("fund-2026-11.json"));
    assert_eq!(m["counts"], fund["summary"]);
    assert_eq!(m["counts"]["projects"], 2);
    assert_eq!(m["counts"]["unreadable"], 1);
    // Digests for the five active Modtagere and one project-lead mail (OS2loop's lead
    // address is invalid, so that lead gets none).
    let posts = names(&period.join("post")).iter().filter(|n| n.ends_with(".eml")).count();
    assert_eq!(m["messages"]["written"], posts);
    assert_eq!(posts, BOARD.len() + 1);
    assert_eq!(m["messages"]["send"], Json::Null);
    assert_eq!(m["annotated"]["written"], 2);
}

/// No file under `root` and no text contains the password.
#[track_caller]
fn password_nowhere(root: &Path, texts: &[String]) {
    for file in files(root) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()), "password in {}", file.display());
    }
    for t in texts {
        assert!(!t.contains(PASSWORD), "password in output:\n{t}");
    }
}

#[test]
fn the_smtp_password_is_never_written_anywhere() {
    // A server without login: the password in the environment is not used at all.
    let server = smtp::Server::start(None);
    let dir = workdir();
    use_server(&dir, server.port, "");
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));
    let run = run_env(&dir, &["run", "--send", "-v"], &[("OS2GOV_SMTP_PASSWORD", PASSWORD)]).code(0);
    assert_eq!(server.messages().len(), BOARD.len() + 1);
    assert!(server.logins().is_empty());
    password_nowhere(&dir.join("ud"), &[run.stdout(), run.stderr()]);
    for m in server.messages() {
        assert!(!String::from_utf8_lossy(&m.data).contains(PASSWORD));
    }
}

#[test]
fn the_smtp_password_is_used_for_login_and_never_written() {
    let user = "os2-sekretariat";
    let server = smtp::Server::start(Some((user, PASSWORD)));
    let dir = workdir();
    use_server(&dir, server.port, user);
    dir.projektark("indsendt/iot.xlsx", &clean_at(&dir, "OS2iot", "N2", "Igangsat", NOV));

    // Without the password, nothing is tried and the message says where it comes from.
    let run = dir.run(&["run", "--send"]).code(2);
    assert!(run.stderr().contains("OS2GOV_SMTP_PASSWORD"), "{}", run.stderr());
    assert!(server.logins().is_empty());

    let run = run_env(&dir, &["run", "--send", "-v"], &[("OS2GOV_SMTP_PASSWORD", PASSWORD)]).code(0);
    assert_eq!(server.messages().len(), BOARD.len() + 1);
    assert!(server.logins().iter().all(|l| *l == (user.to_string(), PASSWORD.to_string())), "{:?}", server.logins());
    assert!(!server.logins().is_empty());
    password_nowhere(&dir.join("ud"), &[run.stdout(), run.stderr()]);

    // A refused login: exit 2, a clear message, and still no password anywhere.
    let wrong = "forkert-kode-456";
    let run = run_env(&dir, &["run", "--send", "--resend", "-v"], &[("OS2GOV_SMTP_PASSWORD", wrong)]).code(2);
    let err = run.stderr();
    assert!(err.contains(&format!("login som '{user}' blev afvist")), "{err}");
    assert!(!err.contains(wrong) && !run.stdout().contains(wrong), "{err}");
    assert_eq!(server.messages().len(), BOARD.len() + 1, "nothing more was sent");
    let m = read_json(&dir.join("ud/2026-11/manifest.json"));
    assert!(m["messages"]["send_error"].as_str().is_some_and(|e| e.contains("login")), "{:#}", m["messages"]);
    password_nowhere(&dir.join("ud"), &[run.stdout(), err]);
    for f in files(&dir.join("ud")) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!bytes.windows(wrong.len()).any(|w| w == wrong.as_bytes()), "{}", f.display());
    }
}
