//! The product phase, run by its coordination group: a coordination group and an SLA;
//! the step into Produkt taken only when enough organisations use the solution
//! (Deltagere.I drift); and the coordination group's quarterly report (Drift) present,
//! fresh, within the SLA, and a backlog of change requests that does not keep growing.

use crate::check::context::{Context, Sheet, age_days, cell_loc, declared, field_loc, meaningful};
use crate::check::process::Process;
use crate::model::cell::CellRef;
use crate::model::finding::{Code, Finding, Location, Severity};
use crate::model::project::{Input, Project};
use crate::model::value::{format_date, format_percent};
use crate::text::Lang;
use crate::text::t;
use chrono::NaiveDate;

/// The newest measured operations report's SLA line on `as_of`: `99,8 % af 99,5 %
/// (16-11-2026)` (a row without Målt, or dated after `as_of`, is not a measurement).
pub fn sla_line(project: &Project, as_of: NaiveDate, lang: Lang) -> Option<String> {
    let (date, report) = project.newest_measured_on(as_of)?;
    let (measured, target) = (report.measured.given()?, report.sla_target.given()?);
    let (m, t, d) = (format_percent(*measured, lang), format_percent(*target, lang), format_date(date));
    Some(match lang {
        Lang::Da => format!("{m} målt mod {t} ({d})"),
        Lang::En => format!("{m} measured against {t} ({d})"),
    })
}

pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let closed = process.closed;
    if process.effective != Some(rules.key.product) || closed {
        return;
    }
    if meaningful(&project.fields.coordination_group).is_none() {
        out.push(Finding::new(
            Code::ProductNoCoordination,
            field_loc(project, &project.fields.coordination_group),
            t!(
                "Et produkt følges af en koordinationsgruppe, men feltet Koordinationsgruppe er tomt (eller kun en pladsholder som '-'). Skriv medlemmerne eller et link til kommissoriet.",
                "A product is followed by a coordination group, but the Koordinationsgruppe field is empty (or only a placeholder such as '-'). Enter its members or a link to its terms of reference."
            ),
        ));
    }
    if meaningful(&project.fields.sla).is_none() {
        out.push(Finding::new(
            Code::ProductNoSla,
            field_loc(project, &project.fields.sla),
            t!(
                "Et produkt skal have en SLA, men feltet SLA er tomt (eller kun en pladsholder som '-'). Skriv et link til aftalen eller en kort beskrivelse.",
                "A product needs an SLA, but the SLA field is empty (or only a placeholder such as '-'). Enter a link to the agreement or a short description."
            ),
        ));
    }
    let became = became_product(ctx, project);
    in_use(ctx, project, became, out);
    operations(ctx, project, became.map(|(_, d)| d), out);
}

/// `PRODUCT-DRIFT-MISSING`: absence is at least as serious as age – past
/// `statusrapport_kritisk_dage` since the step into Produkt it is an error, as a stale
/// report would be; within the first quarter nothing; between, a warning.
fn missing(ctx: &Context<'_>, became: Option<NaiveDate>, at: Location, text: crate::text::Text) -> Option<Finding> {
    let params = &ctx.rules.params;
    let age = became.map(|d| age_days(d, ctx.as_of));
    if age.is_some_and(|a| a <= params.status_max_days) {
        return None;
    }
    let critical = age.is_some_and(|a| a > params.status_critical_days);
    let text = match (became, age) {
        (Some(d), Some(age)) if critical => {
            let (d, max) = (format_date(d), params.status_critical_days);
            text.then(&t!(
                "Produktet har været i drift siden {d} ({age} dage) uden en driftsrapport; grænsen er {max} dage.",
                "The product has been in operation since {d} ({age} days) without an operations report; the limit is {max} days."
            ))
        }
        _ => text,
    };
    Some(Finding::new(Code::ProductDriftMissing, at, text).with_severity(if critical {
        Severity::Error
    } else {
        Severity::Warning
    }))
}

/// The step that made the project a product (from the main line, not a resumption): its
/// row and date.
fn became_product(ctx: &Context<'_>, project: &Project) -> Option<(u32, NaiveDate)> {
    let rules = ctx.rules;
    project.history.iter().rev().find_map(|s| {
        let (Input::Given(from), Input::Given(to), Input::Given(date)) = (&s.from, &s.to, &s.date) else {
            return None;
        };
        (*to == rules.key.product && !rules.is_off_line(*from)).then_some((s.row, *date))
    })
}

/// Implementering → Produkt needs at least the level's minimum number of organisations
/// (and at least one, also in the sandbox) with the solution in use on or before it.
fn in_use(ctx: &Context<'_>, project: &Project, became: Option<(u32, NaiveDate)>, out: &mut Vec<Finding>) {
    let (Some((row, date)), Some(level), Some((sheet, cols))) = (became, declared(project), &project.sheets.deltagere)
    else {
        return;
    };
    let need = (ctx.rules.level(level).min_orgs as usize).max(1);
    let has_column = cols.0.iter().any(|(name, _)| *name == "I drift (dato)");
    let n = row + 1;
    let d = format_date(date);
    if !has_column {
        out.push(
            Finding::new(
                Code::ProductNotInUse,
                Location::cell(sheet, CellRef::new(0, 0)),
                t!(
                    "Fanen Deltagere har ingen kolonne 'I drift (dato)', så det kan ikke ses, hvilke organisationer der havde løsningen i drift, da den blev et produkt ({d}). Tilføj kolonnen (eller hent et nyt projektark med os2gov template) og skriv datoerne.",
                    "The Deltagere sheet has no column 'I drift (dato)', so it cannot be seen which organisations had the solution in use when it became a product ({d}). Add the column (or get a new projektark with os2gov template) and enter the dates."
                ),
            )
            .with_severity(Severity::Warning),
        );
        return;
    }
    let mut users: Vec<String> = project
        .participants
        .iter()
        .filter(|p| p.in_use.given().is_some_and(|u| *u <= date))
        .filter_map(|p| p.organisation.as_ref().map(|o| crate::text::fold(o)))
        .collect();
    users.sort();
    users.dedup();
    let have = users.len();
    if have >= need {
        return;
    }
    let label = crate::check::context::level_label(ctx.rules, level);
    let (users_da, users_en) = match have {
        0 => ("ingen organisation".to_string(), "no organisation".to_string()),
        1 => ("kun én organisation".to_string(), "only one organisation".to_string()),
        n => (format!("kun {n} organisationer"), format!("only {n} organisations")),
    };
    out.push(Finding::new(
        Code::ProductNotInUse,
        cell_loc(project, Sheet::Historik, row, "Til"),
        t!(
            "Historik række {n}: projektet blev et produkt {d}, men {users_da} havde løsningen i drift på det tidspunkt (kolonnen I drift (dato) i Deltagere). På {label} skal mindst {need} have taget den i brug, før den er et produkt. Skriv datoerne i Deltagere – eller ret skiftet, hvis løsningen ikke var i drift endnu.",
            "Historik row {n}: the project became a product on {d}, but {users_en} had the solution in use then (column I drift (dato) in Deltagere). At {label} at least {need} must have taken it into use before it is a product. Enter the dates in Deltagere – or fix the step if the solution was not in use yet."
        ),
    ));
}

/// The coordination group's quarterly report: present (after a first quarter as a
/// product), fresh, within the SLA, and the backlog of change requests.
fn operations(ctx: &Context<'_>, project: &Project, became: Option<NaiveDate>, out: &mut Vec<Finding>) {
    let Some((sheet, _)) = &project.sheets.drift else {
        out.extend(missing(
            ctx,
            became,
            Location::sheet(crate::model::layout::PROJEKT),
            t!(
                "Projektarket har ingen fane Drift. Et produkt følges af koordinationsgruppen, som hvert kvartal skriver SLA-mål, målt oppetid, åbne ændringsønsker og arkitekturændringer. Hent et nyt projektark med os2gov template, og flyt svarene over.",
                "The projektark has no Drift sheet. A product is followed by its coordination group, which every quarter reports the SLA target, measured availability, open change requests and architecture changes. Get a new projektark with os2gov template and move the answers over."
            ),
        ));
        return;
    };
    // Rows dated after the run date never count (INPUT-FUTURE-DATE, check::data).
    let dated = project.operations_on(ctx.as_of);
    // A row with Målt blank is not a measurement: freshness and the SLA go by the newest
    // row with one; the blank one is named.
    let unmeasured = dated.last().filter(|(_, o)| o.measured.given().is_none()).map(|(d, _)| *d);
    // A measured report a coordination group deleted still counts for freshness, as in
    // check::status (issue 20): the newest measured date of the union.
    let deleted = ctx.previous.and_then(|p| p.history.as_deref()).and_then(|h| {
        let current = crate::model::history::DriftRow::of(project);
        crate::model::history::deleted_newest(h.counted_drift().filter(|r| r.measured.is_some()), &current, ctx.as_of)
    });
    let measured = project.newest_measured_on(ctx.as_of);
    if let Some(gone) = deleted.filter(|g| measured.is_none_or(|(d, _)| *g > d)) {
        // The newest measurement is one the sheet no longer has: fresh enough, or stale
        // at the sheet (there is no row to point at).
        stale(ctx, Location::cell(sheet, CellRef::new(1, 0)), gone, unmeasured, true, out);
        if measured.is_none() {
            return;
        }
    }
    let Some((date, newest)) = measured else {
        let none = match unmeasured {
            Some(d) => {
                let d = format_date(d);
                t!(
                    "Produktet har ingen driftsrapport med målt oppetid i fanen Drift (den nyeste, {d}, har ingen). Koordinationsgruppen skriver én række pr. kvartal: dato, SLA-mål og målt oppetid i procent, åbne ændringsønsker og arkitekturændringer.",
                    "The product has no operations report with a measured availability in the Drift sheet (the newest, {d}, has none). The coordination group writes one row per quarter: date, SLA target and measured availability in percent, open change requests and architecture changes."
                )
            }
            None => t!(
                "Produktet har ingen driftsrapport i fanen Drift. Koordinationsgruppen skriver én række pr. kvartal: dato, SLA-mål og målt oppetid i procent, åbne ændringsønsker og arkitekturændringer.",
                "The product has no operations report in the Drift sheet. The coordination group writes one row per quarter: date, SLA target and measured availability in percent, open change requests and architecture changes."
            ),
        };
        out.extend(missing(ctx, became, Location::cell(sheet, CellRef::new(1, 0)), none));
        return;
    };
    if deleted.is_none_or(|g| g <= date) {
        stale(ctx, cell_loc(project, Sheet::Drift, newest.row, "Dato"), date, unmeasured, false, out);
    }
    if let (Input::Given(target), Input::Given(measured)) = (&newest.sla_target, &newest.measured)
        && measured < target
    {
        let d = format_date(date);
        let (m_da, t_da) = (format_percent(*measured, Lang::Da), format_percent(*target, Lang::Da));
        let (m_en, t_en) = (format_percent(*measured, Lang::En), format_percent(*target, Lang::En));
        out.push(Finding::new(
            Code::ProductSlaBreach,
            cell_loc(project, Sheet::Drift, newest.row, "Målt (%)"),
            t!(
                "SLA'en er ikke overholdt: målt oppetid {m_da} mod et mål på {t_da} (driftsrapporten {d}). Beskriv i Bemærkning, hvad der gøres; sekretariatet tager det op med bestyrelsen.",
                "The SLA is not met: measured availability {m_en} against a target of {t_en} (the operations report of {d}). Describe in Bemærkning what is being done; the secretariat raises it with the board."
            ),
        ));
    }
    let backlog: Vec<i64> = dated.iter().filter_map(|(_, o)| o.open_changes.given().copied()).collect();
    if backlog.len() >= 3 {
        let last = &backlog[backlog.len() - 3..];
        if last[0] < last[1] && last[1] < last[2] {
            let series = last.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" → ");
            out.push(Finding::new(
                Code::ProductChangesGrowing,
                cell_loc(project, Sheet::Drift, newest.row, "Åbne ændringsønsker"),
                t!(
                    "Antallet af åbne ændringsønsker er vokset i de tre seneste driftsrapporter ({series}). Koordinationsgruppen bør prioritere dem.",
                    "The number of open change requests has grown over the last three operations reports ({series}). The coordination group should prioritise them."
                ),
            ));
        }
    }
}

/// `PRODUCT-DRIFT-STALE` when the newest measured report (`date`; `removed`: since
/// deleted from the sheet) is older than `status_max_days`.
fn stale(
    ctx: &Context<'_>,
    at: Location,
    date: NaiveDate,
    unmeasured: Option<NaiveDate>,
    removed: bool,
    out: &mut Vec<Finding>,
) {
    let params = &ctx.rules.params;
    let age = age_days(date, ctx.as_of);
    if age <= params.status_max_days {
        return;
    }
    let critical = age > params.status_critical_days;
    let max = if critical { params.status_critical_days } else { params.status_max_days };
    let d = format_date(date);
    let blank = unmeasured
        .map(|b| {
            let b = format_date(b);
            t!(
                " Den nyeste rapport {b} har ingen målt oppetid.",
                " The newest report, {b}, has no measured availability."
            )
        })
        .unwrap_or_default();
    let gone = if removed {
        t!(" Den er siden slettet fra fanen Drift.", " It has since been removed from the Drift sheet.")
    } else {
        crate::text::Text::default()
    };
    let (bda, ben) = (format!("{}{}", gone.da, blank.da), format!("{}{}", gone.en, blank.en));
    out.push(
        Finding::new(
            Code::ProductDriftStale,
            at,
            t!(
                "Den nyeste driftsrapport med målt oppetid er fra {d} ({age} dage gammel; grænsen er {max} dage).{bda} Koordinationsgruppen skal rapportere hvert kvartal; et produkt må ikke gå i stå uden at nogen ser det.",
                "The newest operations report with a measured availability is from {d} ({age} days old; the limit is {max} days).{ben} The coordination group must report every quarter; a product must not go silent without anyone noticing."
            ),
        )
        .with_severity(if critical { Severity::Error } else { Severity::Warning }),
    );
}

#[cfg(test)]
mod tests;
