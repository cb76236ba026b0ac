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

/// The reporting rules; returns the date of the newest status report that counts on the run
/// date – the sheet's, or one deleted since that an earlier period counted, whichever is
/// newer – for the board's text.
pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) -> Option<NaiveDate> {
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
    // A row dated after the run date never counts (INPUT-FUTURE-DATE, check::data).
    let newest = project.newest_status_on(ctx.as_of);
    // A report a lead deleted still counts for freshness (issue 20): the newest counted
    // date of the union, when it is newer than the sheet's newest.
    let gone = ctx
        .previous
        .and_then(|p| p.history.as_deref())
        .and_then(|h| {
            let current = crate::model::history::StatusRow::of(project);
            crate::model::history::deleted_newest(h.counted_status(), &current, ctx.as_of)
        })
        .filter(|g| newest.is_none_or(|(_, d)| *g > d));
    let newest_date = gone.or(newest.map(|(_, d)| d));
    let (Some(phase), Some(effective)) = (current_phase(project), process.effective) else {
        return newest_date;
    };
    // A paused project is judged by the phase it left: paused before Igangsat it owes no
    // status reports or budget; paused while running it still reports.
    let key = &rules.key;
    let started = process.started(rules);
    // Closed only when the stop counts (a stop the board's records lack leaves it running).
    let closed = phase == key.closed && process.closed;
    let product = effective == key.product;
    let running = started && !product && !closed;

    union_changes(ctx, project, out);
    if let Some((sheet, _)) = &project.sheets.status {
        // Stale: the newest report that counts is older than the limit – at its row, or at
        // the sheet when it is one the sheet no longer has.
        if running && let Some(date) = newest_date {
            let age = age_days(date, ctx.as_of);
            if age > params.status_max_days {
                let critical = age > params.status_critical_days;
                let (d, max) =
                    (format_date(date), if critical { params.status_critical_days } else { params.status_max_days });
                let (at, message) = match newest.filter(|_| gone.is_none()) {
                    Some((report, _)) => (
                        cell_loc(project, Sheet::Status, report.row, "Dato"),
                        t!(
                            "Den nyeste statusrapport er fra {d} ({age} dage gammel; grænsen er {max} dage). Tilføj en ny statusrapport.",
                            "The newest status report is from {d} ({age} days old; the limit is {max} days). Add a new status report."
                        ),
                    ),
                    None => (
                        Location::cell(sheet, CellRef::new(1, 0)),
                        t!(
                            "Den nyeste statusrapport er fra {d} ({age} dage gammel; grænsen er {max} dage) og er siden slettet fra fanen Status. Tilføj en ny statusrapport.",
                            "The newest status report is from {d} ({age} days old; the limit is {max} days) and has since been removed from the Status sheet. Add a new status report."
                        ),
                    ),
                };
                out.push(Finding::new(Code::StatusStale, at, message).with_severity(if critical {
                    Severity::Error
                } else {
                    Severity::Warning
                }));
            }
        }
        match newest {
            None if gone.is_some() => {}
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
            Some((report, date)) if !closed => {
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
            _ => {}
        }
    }
    newest_date
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

/// A Status or Drift row an earlier period counted that is now gone from its sheet or has
/// other values (issue 20): said once, in the period the change is first seen, with the
/// earlier values. A deleted row keeps counting; a changed one counts with its new values.
fn union_changes(ctx: &Context<'_>, project: &Project, out: &mut Vec<Finding>) {
    use crate::model::history::{DriftRow, StatusRow};
    let Some(h) = ctx.previous.and_then(|p| p.history.as_deref()) else {
        return;
    };
    let amount = |v: Option<f64>| v.map(|v| crate::model::value::format_amount(v, crate::text::Lang::Da));
    if let Some((sheet, _)) = &project.sheets.status {
        let values = |r: &StatusRow| {
            [r.progress.clone(), r.economy.clone(), amount(r.spent), amount(r.forecast)]
                .into_iter()
                .map(|v| v.unwrap_or_else(|| "–".into()))
                .collect::<Vec<_>>()
                .join(" / ")
        };
        for diff in differences(&h.status, &StatusRow::of(project), values) {
            let (d, old, new) = (&diff.date, &diff.old, diff.values_now());
            let changed = t!(
                "Statusrapporten {d} er ændret, efter at den er afgivet: før {old}, nu {new} (fremdrift / økonomi / forbrug / prognose). En rettelse bør stå som en ny rapport; sekretariatet ser ændringen.",
                "The status report of {d} was changed after it was given: before {old}, now {new} (progress / finances / spent / forecast). A correction should be a new report; the secretariat sees the change."
            );
            let removed = t!(
                "Statusrapporten {d} ({old}; fremdrift / økonomi / forbrug / prognose) er slettet fra fanen Status. Den tæller fortsat med i prognoseforløbet og friskheden; skriv den ind igen.",
                "The status report of {d} ({old}; progress / finances / spent / forecast) was removed from the Status sheet. It still counts for the forecast series and freshness; enter it again."
            );
            out.push(diff.finding(project, Sheet::Status, sheet, changed, removed));
        }
    }
    if let Some((sheet, _)) = &project.sheets.drift {
        let pct = |v: Option<f64>| v.map(|v| format!("{v} %")).unwrap_or_else(|| "–".into());
        let values = |r: &DriftRow| format!("{} / {}", pct(r.target), pct(r.measured));
        for diff in differences(&h.drift, &DriftRow::of(project), values) {
            let (d, old, new) = (&diff.date, &diff.old, diff.values_now());
            let changed = t!(
                "Driftsrapporten {d} er ændret, efter at den er afgivet: før {old}, nu {new} (SLA-mål / målt). Sekretariatet ser ændringen.",
                "The operations report of {d} was changed after it was given: before {old}, now {new} (SLA target / measured). The secretariat sees the change."
            );
            let removed = t!(
                "Driftsrapporten {d} ({old}; SLA-mål / målt) er slettet fra fanen Drift. Skriv den ind igen.",
                "The operations report of {d} ({old}; SLA target / measured) was removed from the Drift sheet. Enter it again."
            );
            out.push(diff.finding(project, Sheet::Drift, sheet, changed, removed));
        }
    }
}

/// A counted row of the union, in the sheet at the last sighting, now changed or gone.
struct Difference {
    date: String,
    /// Its values then, for people.
    old: String,
    /// Changed: the row in today's sheet and its values now. `None`: removed.
    now: Option<(u32, String)>,
}

impl Difference {
    fn values_now(&self) -> String {
        self.now.as_ref().map(|(_, n)| n.clone()).unwrap_or_default()
    }

    /// `REPORT-ROW-CHANGED` at the changed row's date cell, or at the sheet's first cell.
    fn finding(
        &self,
        project: &Project,
        which: Sheet,
        sheet: &str,
        changed: crate::text::Text,
        removed: crate::text::Text,
    ) -> Finding {
        match &self.now {
            Some((row, _)) => Finding::new(Code::ReportRowChanged, cell_loc(project, which, *row, "Dato"), changed),
            None => Finding::new(Code::ReportRowChanged, Location::cell(sheet, CellRef::new(1, 0)), removed),
        }
    }
}

fn differences<R: crate::model::history::Keyed>(
    union: &[crate::model::history::Seen<R>],
    current: &[(R, u32)],
    values: impl Fn(&R) -> String,
) -> Vec<Difference> {
    let mut out = Vec::new();
    for seen in union.iter().filter(|s| s.counted_from.is_some() && s.removed_in.is_none()) {
        let was = &seen.row;
        let now = match current.iter().find(|(r, _)| r.key() == was.key()) {
            Some((r, _)) if r.same(was) => continue,
            Some((r, row)) => Some((*row, values(r))),
            None => None,
        };
        out.push(Difference { date: format_date(was.key().0), old: values(was), now });
    }
    out
}

#[cfg(test)]
mod tests;
