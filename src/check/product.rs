//! The product phase, run by its coordination group: a coordination group and an SLA;
//! the step into Produkt taken only when enough organisations use the solution
//! (Deltagere.I drift); and the coordination group's quarterly report (Drift) present,
//! fresh, within the SLA, and a backlog of change requests that does not keep growing.

use crate::check::process::Process;
use crate::check::{Context, Sheet, age_days, cell_loc, declared, field_loc, meaningful};
use crate::finding::{Code, Finding, Location, Severity};
use crate::model::project::{Input, OperationReport, Project};
use crate::model::value::{CellRef, format_date, format_percent};
use crate::t;
use crate::text::Lang;
use chrono::NaiveDate;

/// The newest operations report's SLA line: `99,8 % af 99,5 % (16-11-2026)`.
pub fn sla_line(project: &Project, lang: Lang) -> Option<String> {
    let (date, report) =
        project.operations.iter().filter_map(|o| o.date.given().map(|d| (*d, o))).max_by_key(|(d, o)| (*d, o.row))?;
    let (measured, target) = (report.measured.given()?, report.sla_target.given()?);
    let (m, t, d) = (format_percent(*measured, lang), format_percent(*target, lang), format_date(date));
    Some(match lang {
        Lang::Da => format!("{m} målt mod {t} ({d})"),
        Lang::En => format!("{m} measured against {t} ({d})"),
    })
}

pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let closed = project.fields.phase.given() == Some(&rules.key.closed);
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
        .filter_map(|p| p.organisation.as_ref().map(|o| crate::model::choice::fold(o)))
        .collect();
    users.sort();
    users.dedup();
    let have = users.len();
    if have >= need {
        return;
    }
    let label = crate::check::level_label(ctx.rules, level);
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
    let params = &ctx.rules.params;
    // A new product has a quarter to send its first report.
    let grace = became.is_some_and(|d| age_days(d, ctx.as_of) <= params.status_max_days);
    let Some((sheet, _)) = &project.sheets.drift else {
        if !grace {
            out.push(Finding::new(
                Code::ProductDriftMissing,
                Location::sheet(crate::layout::PROJEKT),
                t!(
                    "Projektarket har ingen fane Drift. Et produkt følges af koordinationsgruppen, som hvert kvartal skriver SLA-mål, målt oppetid, åbne ændringsønsker og arkitekturændringer. Hent et nyt projektark med os2gov template, og flyt svarene over.",
                    "The projektark has no Drift sheet. A product is followed by its coordination group, which every quarter reports the SLA target, measured availability, open change requests and architecture changes. Get a new projektark with os2gov template and move the answers over."
                ),
            ));
        }
        return;
    };
    let mut dated: Vec<(NaiveDate, &OperationReport)> =
        project.operations.iter().filter_map(|o| o.date.given().map(|d| (*d, o))).collect();
    dated.sort_by_key(|(d, o)| (*d, o.row));
    let Some((date, newest)) = dated.last().copied() else {
        if !grace {
            out.push(Finding::new(
                Code::ProductDriftMissing,
                Location::cell(sheet, CellRef::new(1, 0)),
                t!(
                    "Produktet har ingen driftsrapport i fanen Drift. Koordinationsgruppen skriver én række pr. kvartal: dato, SLA-mål og målt oppetid i procent, åbne ændringsønsker og arkitekturændringer.",
                    "The product has no operations report in the Drift sheet. The coordination group writes one row per quarter: date, SLA target and measured availability in percent, open change requests and architecture changes."
                ),
            ));
        }
        return;
    };
    let age = age_days(date, ctx.as_of);
    if age > params.status_max_days {
        let critical = age > params.status_critical_days;
        let max = if critical { params.status_critical_days } else { params.status_max_days };
        let d = format_date(date);
        out.push(
            Finding::new(
                Code::ProductDriftStale,
                cell_loc(project, Sheet::Drift, newest.row, "Dato"),
                t!(
                    "Den nyeste driftsrapport er fra {d} ({age} dage gammel; grænsen er {max} dage). Koordinationsgruppen skal rapportere hvert kvartal; et produkt må ikke gå i stå uden at nogen ser det.",
                    "The newest operations report is from {d} ({age} days old; the limit is {max} days). The coordination group must report every quarter; a product must not go silent without anyone noticing."
                ),
            )
            .with_severity(if critical { Severity::Error } else { Severity::Warning }),
        );
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

#[cfg(test)]
mod tests {
    use crate::check::testkit::{P, as_of};
    use crate::finding::{Code, Severity};
    use crate::model::project::{Input, OperationReport, Project};
    use chrono::Duration;

    #[test]
    fn products_need_coordination_and_sla() {
        P::new("N1", "Produkt")
            .with(|p| p.fields.coordination_group.value = Input::Blank)
            .has(Code::ProductNoCoordination);
        P::new("N1", "Produkt").with(|p| p.fields.sla.value = Input::Blank).has(Code::ProductNoSla);
        P::new("N1", "Implementering").with(|p| p.fields.sla.value = Input::Blank).lacks(Code::ProductNoSla);
        P::new("N1", "Implementering")
            .with(|p| p.fields.coordination_group.value = Input::Blank)
            .lacks(Code::ProductNoCoordination);
        for placeholder in [
            "-",
            "x",
            "nej",
            "n/a",
            "ingen",
            "?",
            "–",
            "Ingen.",
            "Ingen SLA",
            "ingen aftale",
            "ingen endnu",
            "ikke relevant",
            "Ikke aftalt endnu",
            "mangler",
            "N.A.",
            "TBA",
            "(tom)",
            "0",
        ] {
            P::new("N1", "Produkt")
                .with(|p| p.fields.sla.value = Input::Given(placeholder.into()))
                .has(Code::ProductNoSla);
            P::new("N1", "Produkt")
                .with(|p| p.fields.coordination_group.value = Input::Given(placeholder.into()))
                .has(Code::ProductNoCoordination);
        }
        // Near misses: real content, also when it starts with a word of denial.
        for sla in [
            "Se aftalen",
            "99,5 % oppetid",
            "https://os2.eu/sla",
            "Ingen nedetid over 4 timer i arbejdstiden",
            "Nej-tak-aftalen af 2026",
        ] {
            P::new("N1", "Produkt").with(|p| p.fields.sla.value = Input::Given(sla.into())).lacks(Code::ProductNoSla);
        }
    }

    #[test]
    fn a_product_needs_organisations_that_use_it() {
        let none_in_use = |p: &mut Project| {
            for o in &mut p.participants {
                o.in_use = Input::Blank;
            }
        };
        let p = P::new("N2", "Produkt").with(none_in_use);
        assert_eq!(p.at(Code::ProductNotInUse), ["Historik!C6"]);
        // One is not enough at N2 (two organisations), and a date after the step does not count.
        P::new("N2", "Produkt").with(|p| p.participants[1].in_use = Input::Blank).has(Code::ProductNotInUse);
        P::new("N2", "Produkt")
            .with(|p| p.participants[1].in_use = Input::Given(as_of() - Duration::days(1)))
            .has(Code::ProductNotInUse);
        P::new("N2", "Produkt").lacks(Code::ProductNotInUse);
        // The sandbox needs at least one organisation in use.
        P::new("SB", "Produkt").with(none_in_use).has(Code::ProductNotInUse);
        P::new("SB", "Produkt").with(|p| p.participants[1].in_use = Input::Blank).lacks(Code::ProductNotInUse);
        // An older projektark without the column: one warning that says so.
        let p = P::new("N2", "Produkt").with(|p| {
            none_in_use(p);
            if let Some((_, cols)) = &mut p.sheets.deltagere {
                cols.0.retain(|(n, _)| *n != "I drift (dato)");
            }
        });
        let f = p.findings().into_iter().find(|f| f.code == Code::ProductNotInUse).unwrap();
        assert_eq!(f.severity, Severity::Warning);
    }

    fn drift(row: u32, days_ago: i64, target: f64, measured: f64, open: i64) -> OperationReport {
        OperationReport {
            row,
            date: Input::Given(as_of() - Duration::days(days_ago)),
            sla_target: Input::Given(target),
            measured: Input::Given(measured),
            open_changes: Input::Given(open),
            architecture: None,
            note: None,
        }
    }

    #[test]
    fn the_coordination_group_reports_every_quarter() {
        P::new("N2", "Produkt").with(|p| p.operations.clear()).has(Code::ProductDriftMissing);
        P::new("N2", "Produkt").with(|p| p.sheets.drift = None).has(Code::ProductDriftMissing);
        P::new("N2", "Implementering").with(|p| p.operations.clear()).lacks(Code::ProductDriftMissing);
        let stale =
            |days: i64| P::new("N2", "Produkt").with(move |p| p.operations = vec![drift(1, days, 99.5, 99.9, 1)]);
        stale(92).lacks(Code::ProductDriftStale);
        let f = stale(93).findings().into_iter().find(|f| f.code == Code::ProductDriftStale).unwrap();
        assert_eq!((f.severity, f.location.a1()), (Severity::Warning, "Drift!A2".to_string()));
        let f = stale(366).findings().into_iter().find(|f| f.code == Code::ProductDriftStale).unwrap();
        assert_eq!(f.severity, Severity::Error);
    }

    #[test]
    fn an_sla_breach_and_a_growing_backlog() {
        let p = P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 20, 99.5, 91.0, 2)]);
        assert_eq!(p.at(Code::ProductSlaBreach), ["Drift!C2"]);
        let f = p.findings().into_iter().find(|f| f.code == Code::ProductSlaBreach).unwrap();
        assert!(f.message.da.contains("91 %") && f.message.da.contains("99,5 %"), "{}", f.message.da);
        P::new("N2", "Produkt")
            .with(|p| p.operations = vec![drift(1, 20, 99.5, 99.5, 2)])
            .lacks(Code::ProductSlaBreach);
        let growing = |a, b, c| {
            P::new("N2", "Produkt").with(move |p| {
                p.operations =
                    vec![drift(1, 200, 99.5, 99.9, a), drift(2, 110, 99.5, 99.9, b), drift(3, 20, 99.5, 99.9, c)]
            })
        };
        growing(3, 5, 8).has(Code::ProductChangesGrowing);
        growing(3, 5, 5).lacks(Code::ProductChangesGrowing);
    }
}
