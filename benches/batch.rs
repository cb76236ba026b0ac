//! The batch against the I/O floor (`cargo bench --bench batch -- 100 1000`).
//!
//! For each N it generates N projektark (a realistic mix of levels, phases and mistakes)
//! in a fresh working folder, then measures in separate processes, alternating and
//! repeated, so both get the same machine:
//! - **floor**: every workbook read with calamine (all sheets) and written back with
//!   rust_xlsxwriter, nothing else, in parallel on all cores;
//! - **batch**: `os2gov run` – check, annotated copies, portfolio, findings JSON, mails
//!   to files, input copies, manifest – without sending.
//!
//! It reports wall time (median of the repeats), the ratio batch/floor, and peak memory
//! (maximum resident set of the process, from wait4).

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

/// The floor: read each workbook with calamine and write it back with rust_xlsxwriter.
fn floor(dir: &Path) {
    use calamine::{Data, Reader, Xlsx};
    let out = dir.join("floor");
    std::fs::create_dir_all(&out).unwrap();
    let files: Vec<PathBuf> = std::fs::read_dir(dir.join("indsendt")).unwrap().flatten().map(|e| e.path()).collect();
    files.par_iter().for_each(|path| {
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

fn bench(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("arbejdsmappe");
    let t = Instant::now();
    generate(&work, n);
    eprintln!("generated {n} projektark in {:.1} s", t.elapsed().as_secs_f64());
    let me = std::env::current_exe().unwrap();
    let (mut floors, mut batches, mut floor_mem, mut batch_mem) = (Vec::new(), Vec::new(), 0.0f64, 0.0f64);
    for _ in 0..REPEATS {
        let mut f = Command::new(&me);
        f.args(["--child-floor", work.to_str().unwrap()]);
        let (t, m) = measure(f);
        floors.push(t);
        floor_mem = floor_mem.max(m);
        let _ = std::fs::remove_dir_all(work.join("floor"));
        // Both start without earlier output: the floor's folder is removed above, the
        // batch's period folder here (a monthly run writes a new folder; removing the
        // old one would be timed only for the batch).
        let _ = std::fs::remove_dir_all(work.join("ud"));
        let mut b = Command::new(env!("CARGO_BIN_EXE_os2gov"));
        b.args([
            "run",
            "--config",
            work.join("os2gov.toml").to_str().unwrap(),
            "--as-of",
            "2026-11-26",
            "-q",
            "--no-progress",
        ]);
        let (t, m) = measure(b);
        batches.push(t);
        batch_mem = batch_mem.max(m);
    }
    let (fl, ba) = (median(floors), median(batches));
    println!(
        "N = {n:>5}: floor {:>7.2} s ({floor_mem:.0} MB) · batch {:>7.2} s ({batch_mem:.0} MB) · ratio {:.2} · batch per projektark {:.2} ms",
        fl.as_secs_f64(),
        ba.as_secs_f64(),
        ba.as_secs_f64() / fl.as_secs_f64(),
        ba.as_secs_f64() * 1000.0 / n as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // `--generate DIR N` only writes a working folder, for profiling by hand.
    if args.first().map(String::as_str) == Some("--generate") {
        generate(Path::new(&args[1]), args[2].parse().expect("N"));
        return;
    }
    if args.first().map(String::as_str) == Some("--child-floor") {
        floor(Path::new(&args[1]));
        return;
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100, 1000] } else { sizes };
    println!(
        "os2gov batch vs. I/O floor, {} cores, median of {REPEATS}",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    for n in sizes {
        bench(n);
    }
}
