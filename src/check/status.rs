//! Reporting: status reports present, fresh and not red while a project runs, and a
//! recent self-assessment. The economy is in `economy`, products in `product`.

use crate::check::process::Process;
use crate::check::{Context, Sheet, age_days, cell_loc, current_phase, field_loc};
use crate::finding::{Code, Finding, Location, Severity};
use crate::model::choice::Rag;
use crate::model::project::{Input, Project};
use crate::model::value::{CellRef, format_date};
use crate::t;

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
    let closed = phase == key.closed;
    let product = effective == key.product;
    let running = started && !product && !closed;

    if let Some((sheet, _)) = &project.sheets.status {
        match project.newest_status() {
            None if running => {
                let phase_name = &rules.phase(phase).name;
                let phase_name = &(if phase == effective {
                    phase_name.clone()
                } else {
                    format!("{phase_name} ({})", rules.phase(effective).name)
                });
                out.push(Finding::new(
                    Code::StatusMissing,
                    Location::cell(sheet, CellRef::new(1, 0)),
                    t!(
                        "Projektet er i fasen {phase_name}, men har ingen statusrapport. Tilføj en række i fanen Status med dato, fremdrift og økonomi.",
                        "The project is in the phase {phase_name} but has no status report. Add a row to the Status sheet with date, progress and finances."
                    ),
                ));
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

#[cfg(test)]
mod tests {
    use crate::check::testkit::{P, as_of};
    use crate::finding::{Code, Severity};
    use crate::model::choice::Rag;
    use crate::model::project::Input;
    use chrono::Duration;

    #[test]
    fn status_missing_for_running_projects_only() {
        P::new("N1", "Implementering").with(|p| p.status.clear()).has(Code::StatusMissing);
        // Paused while running: still reports; a stopped project does not.
        P::new("N1", "Pauseret").with(|p| p.status.clear()).has(Code::StatusMissing);
        P::new("N2", "Udfaset").with(|p| p.status.clear()).lacks(Code::StatusMissing);
        P::new("N1", "Koncept").with(|p| p.status.clear()).lacks(Code::StatusMissing);
        P::new("N1", "Produkt").with(|p| p.status.clear()).lacks(Code::StatusMissing);
    }

    #[test]
    fn stale_status_warns_then_errs() {
        let aged = |days: i64| {
            P::new("N1", "Igangsat").with(move |p| p.status[0].date = Input::Given(as_of() - Duration::days(days)))
        };
        aged(92).lacks(Code::StatusStale);
        let f = aged(93).findings().into_iter().find(|f| f.code == Code::StatusStale).unwrap();
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.location.a1(), "Status!A2");
        let f = aged(366).findings().into_iter().find(|f| f.code == Code::StatusStale).unwrap();
        assert_eq!(f.severity, Severity::Error);
    }

    #[test]
    fn red_newest_status() {
        let p = P::new("N1", "Igangsat").with(|p| p.status[0].economy = Input::Given(Rag::Roed));
        assert_eq!(p.at(Code::StatusRed), ["Status!C2"]);
        // Red in an older report, green in the newest: fine.
        P::new("N1", "Igangsat")
            .with(|p| {
                let mut old = p.status[0].clone();
                old.row = 2;
                old.date = Input::Given(as_of() - Duration::days(200));
                old.progress = Input::Given(Rag::Roed);
                p.status.push(old);
            })
            .lacks(Code::StatusRed);
    }

    #[test]
    fn self_assessment_age() {
        P::new("N1", "Igangsat")
            .with(|p| p.fields.filled_date.value = Input::Given(as_of() - Duration::days(184)))
            .has(Code::SelfevalStale);
        P::new("N1", "Igangsat")
            .with(|p| p.fields.filled_date.value = Input::Given(as_of() - Duration::days(183)))
            .lacks(Code::SelfevalStale);
    }
}
