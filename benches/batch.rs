//! The batch against two floors (`cargo bench --bench batch -- 100 1000 [--history K]`).
//!
//! For each N it generates N projektark (a realistic mix of levels, phases and mistakes)
//! in a fresh working folder, then measures in separate processes, alternating and
//! repeated, so all get the same machine:
//! - **read+copy floor**: every cell of every workbook read with calamine (all sheets) and
//!   each workbook's own bytes written back to a file, in parallel on all cores – the least
//!   a read-check-annotate batch can do. The ratio to it is what the README reports;
//! - **rebuild floor**: every workbook read with calamine and written anew with
//!   rust_xlsxwriter (for comparison with earlier measurements);
//! - **batch**: `os2gov run` – check, annotated copies, portfolio, findings JSON, mails
//!   to files, input copies, manifest – without sending.
//!
//! It reports wall time (median of the repeats), the ratio batch/read+copy, peak memory
//! (maximum resident set of each process, from wait4) and the stage table of one extra
//! `os2gov run -vv`. With `--history K` (default 24, `--history 0` skips it) it then builds
//! an archive of K earlier periods by running the real batch with advancing `--period` /
//! `--as-of`, and prints the ratio of a run with that archive to one without.

use chrono::NaiveDate;
use os2gov::model::cell::Value;
use os2gov::model::layout::FieldKey;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const REPEATS: usize = 3;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// N projektark: two thirds clean, the rest with the mistakes projects make.
fn generate(dir: &Path, n: usize) {
    let os2gov = env!("CARGO_BIN_EXE_os2gov");
    let ok = Command::new(os2gov).args(["init", dir.to_str().unwrap(), "--as-of", "2026-11-26"]).output().unwrap();
    assert!(ok.status.success(), "init failed");
    let _ = std::fs::remove_file(dir.join("indsendt/projektark-skabelon.xlsx"));
    let rules =
        os2gov::load::styringsmodel::load_rules(&std::fs::read(dir.join("styringsmodel.xlsx")).unwrap(), as_of())
            .unwrap()
            .rules;
    let phases =
        ["Idé", "Koncept", "Igangsat", "Implementering", "Produkt", "Pauseret", "Udfaset", "Bestyrelsesbehandling"];
    let levels = ["SB", "N1", "N2", "N3"];
    (0..n).into_par_iter().for_each(|i| {
        let level = levels[i % 4];
        let phase = phases[(i / 4) % phases.len()];
        let phase =
            if phase == "Bestyrelsesbehandling" && (level == "SB" || level == "N1") { "Koncept" } else { phase };
        let id = format!("OS2bench{i:05}");
        let mut f = os2gov::check::fixtures::clean(
            &rules,
            &id,
            rules.find_level(level).unwrap(),
            rules.find_phase(phase).unwrap(),
            as_of(),
        );
        match i % 6 {
            1 => {
                if let Some(a) = f.answers.get_mut(i % 5) {
                    a.efterlevet = Value::Text("Nej".into());
                }
            }
            3 => {
                if let Some(a) = f.answers.last_mut() {
                    a.dokumentation = Value::Blank;
                }
                f.participants[1][2] = Value::Text("12345678".into());
            }
            5 => {
                f.fields.retain(|(k, _)| *k != FieldKey::Budget);
                f.status.clear();
            }
            _ => {}
        }
        let mut wb = os2gov::render::projektark::build_projektark(&rules, &f).unwrap();
        wb.save(dir.join("indsendt").join(format!("{id}.xlsx"))).unwrap();
    });
}

/// The inputs of a working folder.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("indsendt")).unwrap().flatten().map(|e| e.path()).collect()
}

/// The read+copy floor: every cell of each workbook read with calamine, and the workbook's
/// own bytes written back to a new file.
fn read_copy_floor(dir: &Path) {
    use calamine::{Reader, Xlsx};
    let out = dir.join("floor");
    std::fs::create_dir_all(&out).unwrap();
    let cells = std::sync::atomic::AtomicUsize::new(0);
    inputs(dir).par_iter().for_each(|path| {
        let bytes = std::fs::read(path).unwrap();
        let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut n = 0;
        for name in xlsx.sheet_names() {
            let range = xlsx.worksheet_range(&name).unwrap();
            n += range.used_cells().count();
        }
        cells.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        std::fs::write(out.join(path.file_name().unwrap()), &bytes).unwrap();
    });
    assert!(cells.into_inner() > 0, "the floor read no cells");
}

/// The rebuild floor: read each workbook with calamine and write it anew with rust_xlsxwriter.
fn rebuild_floor(dir: &Path) {
    use calamine::{Data, Reader, Xlsx};
    let out = dir.join("floor");
    std::fs::create_dir_all(&out).unwrap();
    inputs(dir).par_iter().for_each(|path| {
        let mut xlsx: Xlsx<_> = calamine::open_workbook(path).unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        for name in xlsx.sheet_names() {
            let range = xlsx.worksheet_range(&name).unwrap();
            let ws = wb.add_worksheet();
            ws.set_name(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, row) in range.rows().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r0 + r as u32, (c0 as usize + c) as u16);
                    match cell {
                        Data::String(s) => {
                            ws.write_string(r, c, s).unwrap();
                        }
                        Data::Float(x) => {
                            ws.write_number(r, c, *x).unwrap();
                        }
                        Data::Int(x) => {
                            ws.write_number(r, c, *x as f64).unwrap();
                        }
                        Data::DateTime(d) => {
                            ws.write_number(r, c, d.as_f64()).unwrap();
                        }
                        Data::Bool(b) => {
                            ws.write_boolean(r, c, *b).unwrap();
                        }
                        _ => {}
                    }
                }
            }
        }
        wb.save(out.join(path.file_name().unwrap())).unwrap();
    });
}

/// Runs a command; returns (wall time, peak resident set in MB).
fn measure(mut cmd: Command) -> (Duration, f64) {
    let start = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a valid out-pointer.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1, "child failed: {status}");
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss as f64 / 1024.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `os2gov run` on a working folder for a period, with extra arguments.
fn batch_command(work: &Path, period: Option<(&str, &str)>, extra: &[&str]) -> Command {
    let mut b = Command::new(env!("CARGO_BIN_EXE_os2gov"));
    let config = work.join("os2gov.toml");
    let (period, as_of) = period.unwrap_or(("2026-11", "2026-11-26"));
    b.args(["run", "--config", config.to_str().unwrap(), "--period", period, "--as-of", as_of, "--no-progress"]);
    b.args(extra);
    b
}

/// The stage table: one `os2gov run -vv`, each stage with the time it took.
fn stage_table(work: &Path) -> Vec<(String, f64)> {
    let _ = std::fs::remove_dir_all(work.join("ud"));
    let out = batch_command(work, None, &["-vv", "--lang", "en"]).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "run -vv failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Lines look like `[  0.42 s] · Reading …`: each stage lasts until the next line.
    let marks: Vec<(f64, String)> = stderr
        .lines()
        .filter_map(|l| {
            let (time, rest) = l.strip_prefix('[')?.split_once(" s] ")?;
            Some((time.trim().parse().ok()?, rest.trim_start_matches('·').trim().to_string()))
        })
        .collect();
    marks.windows(2).map(|w| (w[0].1.clone(), w[1].0 - w[0].0)).collect()
}

/// Builds an archive of `k` earlier periods in `work/ud` by running the real batch for
/// each, with advancing `--period` and `--as-of` (the 26th of each month), the last one the
/// month before the measured period (2026-11). Returns the periods.
pub fn build_archive(work: &Path, k: usize) -> Vec<String> {
    let mut periods = Vec::new();
    for back in (1..=k).rev() {
        // Months before November 2026.
        let months = 2026 * 12 + 10 - back as i64;
        let (y, m) = (months / 12, months % 12 + 1);
        let period = format!("{y:04}-{m:02}");
        let as_of = format!("{period}-26");
        let st =
            batch_command(work, Some((&period, &as_of)), &["-q"]).stdout(std::process::Stdio::null()).status().unwrap();
        assert!(st.code().is_some_and(|c| c <= 1), "archive run {period} failed");
        periods.push(period);
    }
    periods
}

/// A run with `k` earlier periods in the archive against one without (same inputs),
/// alternating, median of the repeats: the ratio and both times.
fn history(work: &Path, n: usize, k: usize) {
    let t = Instant::now();
    // A second working folder with the same inputs: one archive is built there, the other
    // stays empty.
    let with = work.with_file_name("med-historik");
    let copy = Command::new("cp").args(["-a", work.to_str().unwrap(), with.to_str().unwrap()]).status().unwrap();
    assert!(copy.success(), "copying the working folder failed");
    let _ = std::fs::remove_dir_all(with.join("ud"));
    build_archive(&with, k);
    eprintln!("built an archive of {k} periods in {:.1} s", t.elapsed().as_secs_f64());
    let (mut without, mut with_times) = (Vec::new(), Vec::new());
    for _ in 0..REPEATS {
        let _ = std::fs::remove_dir_all(work.join("ud"));
        without.push(measure(batch_command(work, None, &["-q"])).0);
        let _ = std::fs::remove_dir_all(with.join("ud/2026-11"));
        with_times.push(measure(batch_command(&with, None, &["-q"])).0);
    }
    let (a, b) = (median(without), median(with_times));
    println!(
        "N = {n:>5}: with {k} earlier periods {:.2} s · without {:.2} s · ratio {:.2}",
        b.as_secs_f64(),
        a.as_secs_f64(),
        b.as_secs_f64() / a.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&with);
}

fn bench(n: usize, history_periods: usize) {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("arbejdsmappe");
    let t = Instant::now();
    generate(&work, n);
    eprintln!("generated {n} projektark in {:.1} s", t.elapsed().as_secs_f64());
    let me = std::env::current_exe().unwrap();
    let floor_run = |which: &str| {
        let mut f = Command::new(&me);
        f.args([which, work.to_str().unwrap()]);
        let m = measure(f);
        let _ = std::fs::remove_dir_all(work.join("floor"));
        m
    };
    let (mut copies, mut rebuilds, mut batches) = (Vec::new(), Vec::new(), Vec::new());
    let (mut copy_mem, mut rebuild_mem, mut batch_mem) = (0.0f64, 0.0f64, 0.0f64);
    for _ in 0..REPEATS {
        let (t, m) = floor_run("--child-read-copy");
        copies.push(t);
        copy_mem = copy_mem.max(m);
        let (t, m) = floor_run("--child-rebuild");
        rebuilds.push(t);
        rebuild_mem = rebuild_mem.max(m);
        // The batch starts without earlier output (a monthly run writes a new folder;
        // removing the old one would be timed only for the batch).
        let _ = std::fs::remove_dir_all(work.join("ud"));
        let (t, m) = measure(batch_command(&work, None, &["-q"]));
        batches.push(t);
        batch_mem = batch_mem.max(m);
    }
    let (cp, rb, ba) = (median(copies), median(rebuilds), median(batches));
    println!(
        "N = {n:>5}: read+copy {:>6.2} s ({copy_mem:.0} MB) · rebuild {:>6.2} s ({rebuild_mem:.0} MB) · batch {:>6.2} s ({batch_mem:.0} MB) · batch/read+copy {:.2} · batch/rebuild {:.2} · {:.2} ms per projektark",
        cp.as_secs_f64(),
        rb.as_secs_f64(),
        ba.as_secs_f64(),
        ba.as_secs_f64() / cp.as_secs_f64(),
        ba.as_secs_f64() / rb.as_secs_f64(),
        ba.as_secs_f64() * 1000.0 / n as f64
    );
    println!("  stages of one `os2gov run -vv` (s):");
    for (stage, secs) in stage_table(&work) {
        println!("    {secs:>6.2}  {stage}");
    }
    if history_periods > 0 {
        history(&work, n, history_periods);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // `--generate DIR N` only writes a working folder, for profiling by hand.
    if args.first().map(String::as_str) == Some("--generate") {
        generate(Path::new(&args[1]), args[2].parse().expect("N"));
        return;
    }
    match args.first().map(String::as_str) {
        Some("--child-read-copy") => return read_copy_floor(Path::new(&args[1])),
        Some("--child-rebuild") => return rebuild_floor(Path::new(&args[1])),
        _ => {}
    }
    let history_periods = args
        .iter()
        .position(|a| a == "--history")
        .and_then(|i| args.get(i + 1))
        .map_or(24, |k| k.parse().expect("--history K"));
    let sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || args[i - 1] != "--history")
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { vec![100, 1000] } else { sizes };
    println!(
        "os2gov batch vs. the read+copy floor, {} cores, median of {REPEATS}; load average {}",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let last = sizes.len() - 1;
    for (i, n) in sizes.into_iter().enumerate() {
        // The history line only for the largest size: its archive costs K runs.
        bench(n, if i == last { history_periods } else { 0 });
    }
}
