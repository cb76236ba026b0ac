//! Reporting: status reports present, fresh and not red while a project runs, and a
//! recent self-assessment. The economy is in `economy`, products in `product`.

use crate::check::context::{Context, Sheet, age_days, cell_loc, current_phase, field_loc};
use crate::check::process::Process;
use crate::model::cell::CellRef;
use crate::model::choice::Rag;
use crate::model::finding::{Code, Finding, Location, Severity};
use crate::model::project::{Input, Project};
use crate::model::value::format_date;
use crate::text::t;
use chrono::NaiveDate;

pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let params = &rules.params;
    if let Some(filled) = project.fields.filled_date.given() {
        let age = age_days(*filled, ctx.as_of);
        if age > params.selfeval_max_days {
            let (d, max) = (format_date(*filled), params.selfeval_max_days);
            out.push(Finding::new(
                Code::SelfevalStale,
                field_loc(project, &project.fields.filled_date),
                t!(
                    "Selvevalueringen er fra {d} ({age} dage gammel; grænsen er {max} dage). Gennemgå kravene igen og opdatér Udfyldt dato.",
                    "The self-assessment is from {d} ({age} days old; the limit is {max} days). Go through the requirements again and update Udfyldt dato."
                ),
            ));
        }
    }
    let (Some(phase), Some(effective)) = (current_phase(project), process.effective) else {
        return;
    };
    // A paused project is judged by the phase it left: paused before Igangsat it owes no
    // status reports or budget; paused while running it still reports.
    let key = &rules.key;
    let started = process.started(rules);
    // Closed only when the stop counts (a stop the board's records lack leaves it running).
    let closed = phase == key.closed && process.closed;
    let product = effective == key.product;
    let running = started && !product && !closed;

    if let Some((sheet, _)) = &project.sheets.status {
        // A row dated after the run date never counts (INPUT-FUTURE-DATE, check::data).
        match project.newest_status_on(ctx.as_of) {
            None if running => {
                let phase_name = &rules.phase(phase).name;
                let phase_name = &(if phase == effective {
                    phase_name.clone()
                } else {
                    format!("{phase_name} ({})", rules.phase(effective).name)
                });
                // Absence is at least as serious as age: counted from the (latest) start.
                let since = started_on(process);
                let age = since.map(|d| age_days(d, ctx.as_of)).unwrap_or(0);
                let critical = age > params.status_critical_days;
                let future = future_rows(project, ctx.as_of);
                let (fda, fen) = if future > 0 {
                    (
                        format!(" ({future} række(r) er dateret efter kørselsdatoen og tæller ikke)"),
                        format!(" ({future} row(s) dated after the run date do not count)"),
                    )
                } else {
                    (String::new(), String::new())
                };
                let message = match since {
                    Some(d) if critical => {
                        let (d, max) = (format_date(d), params.status_critical_days);
                        t!(
                            "Projektet blev igangsat {d} og har aldrig afgivet en statusrapport{fda} – {age} dage; grænsen er {max} dage. Tilføj en række i fanen Status med dato, fremdrift og økonomi.",
                            "The project started on {d} and has never reported its status{fen} – {age} days; the limit is {max} days. Add a row to the Status sheet with date, progress and finances."
                        )
                    }
                    _ => t!(
                        "Projektet er i fasen {phase_name}, men har ingen statusrapport{fda}. Tilføj en række i fanen Status med dato, fremdrift og økonomi.",
                        "The project is in the phase {phase_name} but has no status report{fen}. Add a row to the Status sheet with date, progress and finances."
                    ),
                };
                out.push(
                    Finding::new(Code::StatusMissing, Location::cell(sheet, CellRef::new(1, 0)), message)
                        .with_severity(if critical { Severity::Error } else { Severity::Warning }),
                );
            }
            None => {}
            Some((report, date)) => {
                let age = age_days(date, ctx.as_of);
                if running && age > params.status_max_days {
                    let critical = age > params.status_critical_days;
                    let (d, max) = (
                        format_date(date),
                        if critical { params.status_critical_days } else { params.status_max_days },
                    );
                    out.push(
                        Finding::new(
                            Code::StatusStale,
                            cell_loc(project, Sheet::Status, report.row, "Dato"),
                            t!(
                                "Den nyeste statusrapport er fra {d} ({age} dage gammel; grænsen er {max} dage). Tilføj en ny statusrapport.",
                                "The newest status report is from {d} ({age} days old; the limit is {max} days). Add a new status report."
                            ),
                        )
                        .with_severity(if critical { Severity::Error } else { Severity::Warning }),
                    );
                }
                if !closed {
                    for (col, value) in [("Fremdrift", &report.progress), ("Økonomi", &report.economy)] {
                        if *value == Input::Given(Rag::Roed) {
                            let d = format_date(date);
                            let col_en = if col == "Fremdrift" { "progress" } else { "finances" };
                            let col_da = col.to_lowercase();
                            out.push(Finding::new(
                                Code::StatusRed,
                                cell_loc(project, Sheet::Status, report.row, col),
                                t!(
                                    "Statusrapporten fra {d} melder {col_da} rød. Beskriv i Bemærkning, hvad der gøres; sekretariatet tager det op med bestyrelsen.",
                                    "The status report of {d} reports {col_en} red. Describe in Bemærkning what is being done; the secretariat raises it with the board."
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// The date the project was (last) started: the newest start step's date, or for an
/// undated one the next dated Historik step's.
pub fn started_on(process: &Process) -> Option<NaiveDate> {
    process.starts.iter().filter_map(|s| s.date.or(s.bound.map(|(d, _)| d))).max()
}

/// Status rows dated after the run date (they never count).
fn future_rows(project: &Project, as_of: NaiveDate) -> usize {
    project.status.iter().filter(|s| s.date.given().is_some_and(|d| *d > as_of)).count()
}

#[cfg(test)]
mod tests;
