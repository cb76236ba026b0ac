//! Places a source report's rows on the current catalogue's requirements, by ID **and**
//! text. Where the ID and the text agree with the catalogue, the row goes there. Where
//! they disagree (the old checklist numbers after the older catalogue: its R3 is today's
//! R2), the row goes to the requirement its text matches ([`similarity`]) – when one
//! matches clearly better than the rest. A row that matches nothing, matches two
//! requirements equally, or matches one another row already took, is not placed, with a
//! reason: never dropped, never guessed. Only the loaded [`Rules`] are consulted.
//!
//! How far an ID is trusted depends on the form: in the 2025 template and the JSON (which
//! number after the current catalogue) an ID holds unless its text clearly belongs to
//! another requirement; in the old checklist an ID needs its text to agree.

use super::similarity::Catalogue;
use crate::import::source::{SourceReport, SourceRow};
use crate::model::rules::Rules;
use crate::text::Text;
use crate::text::fold;
use crate::text::t;

/// Below this score a text tells nothing about the requirement it is compared with.
pub const TEXT_MIN: f64 = 0.4;
/// How much better the best text match must be than the next to be taken.
pub const TEXT_MARGIN: f64 = 0.15;
/// From this score on, an ID's text is said to agree.
pub const AGREE: f64 = 0.5;
/// The least agreement an old-checklist ID needs.
pub const AGREE_OLD: f64 = 0.2;
/// How much better another requirement must match for a text to outvote its ID.
pub const OUTVOTE: f64 = 0.2;

/// How a row found its requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Same ID, and the texts agree.
    IdAndText,
    /// Same ID; the text is worded differently but fits no other requirement better.
    Id,
    /// By text: the ID is missing, unknown, or belongs to another text.
    Text,
}

/// A source row placed on a requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Index into [`SourceReport::rows`].
    pub row: usize,
    /// Index into [`Rules::requirements`].
    pub requirement: usize,
    pub how: How,
    pub score: f64,
}

/// Why a row was not placed.
#[derive(Clone, Debug, PartialEq)]
pub enum Why {
    /// No requirement's text is like it. `known_id`: the row's ID is in the catalogue but
    /// its text is not that requirement's. `closest`: the nearest, too far to take.
    NoMatch { known_id: Option<usize>, closest: Option<(usize, f64)> },
    /// Two requirements match about equally well.
    Ambiguous { first: (usize, f64), second: (usize, f64) },
    /// The requirement it matches was already taken by another row.
    Taken { requirement: usize, by_row: usize },
    /// An old-checklist row with an ID but no text to confirm it.
    NoText,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unplaced {
    pub row: usize,
    pub why: Why,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    /// In the catalogue's order.
    pub placed: Vec<Placed>,
    /// In the source's order.
    pub unplaced: Vec<Unplaced>,
}

impl Mapping {
    /// The row placed on requirement `index`, if any.
    pub fn row_for(&self, requirement: usize) -> Option<&Placed> {
        self.placed.iter().find(|p| p.requirement == requirement)
    }
}

/// The catalogue's requirements in the row's theme, when its section or category names
/// one (`RELEVANS`, `strategisk`); otherwise all of them.
fn candidates(rules: &Rules, row: &SourceRow) -> Vec<usize> {
    // `## 2. FORMKRAV` names the theme Formkrav: numbering and punctuation do not count.
    let letters = |s: &str| {
        let l: String = fold(s).chars().filter(|c| c.is_alphanumeric()).collect();
        l.trim_start_matches(|c: char| c.is_ascii_digit()).to_string()
    };
    let all: Vec<usize> = (0..rules.requirements.len()).collect();
    let Some(theme) = row.theme.as_deref().map(letters).filter(|t| t.len() >= 4) else {
        return all;
    };
    let same: Vec<usize> = all
        .iter()
        .copied()
        .filter(|i| {
            let t = letters(&rules.requirements[*i].theme);
            t.starts_with(&theme) || theme.starts_with(&t)
        })
        .collect();
    if same.is_empty() { all } else { same }
}

/// Maps every row of `source` onto `rules`' catalogue.
pub fn map(rules: &Rules, source: &SourceReport) -> Mapping {
    let catalogue = Catalogue::new(rules.requirements.iter().map(|r| r.text.as_str()));
    let trust_ids = source.form.is_some_and(|f| f.current_ids());
    let mut wanted: Vec<Placed> = Vec::new();
    let mut unplaced: Vec<Unplaced> = Vec::new();
    for (i, row) in source.rows.iter().enumerate() {
        let by_id = rules.find_requirement(&row.id);
        let pool = candidates(rules, row);
        if row.text.trim().is_empty() {
            match by_id {
                Some(r) if trust_ids => wanted.push(Placed { row: i, requirement: r, how: How::Id, score: 0.0 }),
                Some(_) => unplaced.push(Unplaced { row: i, why: Why::NoText }),
                None => unplaced.push(Unplaced { row: i, why: Why::NoMatch { known_id: None, closest: None } }),
            }
            continue;
        }
        let prepared = catalogue.source(&row.text);
        let mut scores: Vec<(usize, f64)> = pool.iter().map(|r| (*r, catalogue.score(&prepared, *r))).collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if let Some(r) = by_id {
            let own = catalogue.score(&prepared, r);
            let other = scores.iter().find(|(o, _)| *o != r).map_or(0.0, |(_, s)| *s);
            let outvoted = other >= own + OUTVOTE;
            let agrees = if trust_ids { !(outvoted && other >= AGREE) } else { own >= AGREE_OLD && !outvoted };
            if agrees {
                let how = if own >= AGREE { How::IdAndText } else { How::Id };
                wanted.push(Placed { row: i, requirement: r, how, score: own });
                continue;
            }
        }
        let best = scores.first().copied();
        let second = scores.get(1).map_or(0.0, |(_, s)| *s);
        match best {
            Some((r, s)) if s >= TEXT_MIN && s - second >= TEXT_MARGIN => {
                wanted.push(Placed { row: i, requirement: r, how: How::Text, score: s })
            }
            Some(first) if first.1 >= TEXT_MIN => unplaced.push(Unplaced {
                row: i,
                why: Why::Ambiguous { first, second: scores.get(1).copied().unwrap_or(first) },
            }),
            _ => unplaced.push(Unplaced {
                row: i,
                why: Why::NoMatch { known_id: by_id, closest: best.filter(|(_, s)| *s >= 0.2) },
            }),
        }
    }
    // One row per requirement: IDs that agree first, then the best texts; a later row
    // for a taken requirement is reported, not merged.
    let rank = |p: &Placed| match p.how {
        How::IdAndText => 0,
        How::Id => 1,
        How::Text => 2,
    };
    wanted.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.score.total_cmp(&a.score)).then(a.row.cmp(&b.row)));
    let mut placed: Vec<Placed> = Vec::new();
    for p in wanted {
        match placed.iter().find(|q| q.requirement == p.requirement) {
            Some(q) => {
                unplaced.push(Unplaced { row: p.row, why: Why::Taken { requirement: p.requirement, by_row: q.row } })
            }
            None => placed.push(p),
        }
    }
    placed.sort_by_key(|p| p.requirement);
    unplaced.sort_by_key(|u| u.row);
    Mapping { placed, unplaced }
}

fn pct(score: f64) -> u32 {
    (score * 100.0).round() as u32
}

impl Why {
    /// The reason in words, naming requirements by ID.
    pub fn text(&self, rules: &Rules, source: &SourceReport) -> Text {
        let id = |r: &usize| rules.requirements[*r].id.clone();
        match self {
            Why::NoMatch { known_id, closest } => {
                let mut text = match known_id {
                    Some(r) => {
                        let (rid, rtext) = (id(r), &rules.requirements[*r].text);
                        t!(
                            "{rid} hedder i styringsmodellen '{rtext}', og teksten passer ikke til den (kilden følger et ældre kravkatalog); intet andet krav ligner teksten nok.",
                            "{rid} reads '{rtext}' in the styringsmodel and the text does not fit it (the source follows an older catalogue); no other requirement is close enough."
                        )
                    }
                    None => t!(
                        "Hverken ID'et eller teksten findes i styringsmodellens kravkatalog.",
                        "Neither the ID nor the text is in the styringsmodel's catalogue."
                    ),
                };
                if let Some((r, s)) = closest {
                    let (rid, p) = (id(r), pct(*s));
                    text = text.then(&t!("Nærmest er {rid} ({p} % lighed).", "The closest is {rid} ({p} % alike)."));
                }
                text
            }
            Why::Ambiguous { first, second } => {
                let (a, pa, b, pb) = (id(&first.0), pct(first.1), id(&second.0), pct(second.1));
                t!(
                    "Teksten ligner både {a} ({pa} %) og {b} ({pb} %); os2gov gætter ikke.",
                    "The text is like both {a} ({pa} %) and {b} ({pb} %); os2gov does not guess."
                )
            }
            Why::Taken { requirement, by_row } => {
                let rid = id(requirement);
                let other = &source.rows[*by_row];
                let (oid, line) = (if other.id.is_empty() { "?".to_string() } else { other.id.clone() }, other.line);
                t!(
                    "Passer til {rid}, men {rid} er allerede besvaret af kildens {oid} (linje {line}); krav kan være slået sammen i det nye katalog.",
                    "Fits {rid}, but {rid} is already answered by the source's {oid} (line {line}); requirements may have been merged in the new catalogue."
                )
            }
            Why::NoText => t!(
                "Rækken har et ID, men ingen kravtekst at bekræfte det med (den gamle tjekliste bruger ældre ID'er).",
                "The row has an ID but no requirement text to confirm it (the old checklist uses older IDs)."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::source::{Form, SourceAnswer};

    fn row(id: &str, text: &str, theme: Option<&str>) -> SourceRow {
        SourceRow {
            id: id.into(),
            text: text.into(),
            theme: theme.map(str::to_string),
            recommendation: false,
            answer: SourceAnswer::Blank,
            documentation: String::new(),
            explanation: String::new(),
            placeholder: None,
            line: 1,
        }
    }

    fn report(form: Form, rows: Vec<SourceRow>) -> SourceReport {
        let rows = rows.into_iter().enumerate().map(|(i, r)| SourceRow { line: i + 1, ..r }).collect();
        SourceReport { form: Some(form), rows, ..SourceReport::default() }
    }

    fn placed(rules: &Rules, m: &Mapping, source: &SourceReport) -> Vec<(String, String, How)> {
        m.placed
            .iter()
            .map(|p| (source.rows[p.row].id.clone(), rules.requirements[p.requirement].id.clone(), p.how))
            .collect()
    }

    #[test]
    fn a_section_or_category_narrows_the_candidates_to_its_theme() {
        let rules = crate::check::testkit::rules();
        for theme in ["2. FORMKRAV", "formkrav", "Formkrav (F)"] {
            let ids: Vec<&str> = candidates(rules, &row("", "x", Some(theme)))
                .iter()
                .map(|i| rules.requirements[*i].id.as_str())
                .collect();
            assert!(!ids.is_empty() && ids.iter().all(|id| id.starts_with('F')), "{theme}: {ids:?}");
        }
        let strategic = candidates(rules, &row("", "x", Some("strategisk")));
        assert!(strategic.iter().all(|i| rules.requirements[*i].id.starts_with('S')));
        assert_eq!(
            candidates(rules, &row("", "x", Some("Krav"))).len(),
            rules.requirements.len(),
            "an unknown section narrows nothing"
        );
    }

    #[test]
    fn exact_id_and_text_is_taken() {
        let rules = crate::check::testkit::rules();
        let s = report(Form::Template2025, vec![row("G6", "Der er nedsat en styregruppe", Some("GOVERNANCE"))]);
        let m = map(rules, &s);
        assert_eq!(placed(rules, &m, &s), [("G6".into(), "G6".into(), How::IdAndText)]);
        assert!(m.unplaced.is_empty());
    }

    #[test]
    fn old_ids_with_other_texts_go_by_text() {
        let rules = crate::check::testkit::rules();
        // The old checklist: R3 is today's R2; F13 and F14 were swapped.
        let s = report(
            Form::Checklist,
            vec![
                row("R1", "Løsningen skaber lokal værdi", Some("1. RELEVANS")),
                row("R3", "Løsningen er accepteret af lokal linjeledelse", Some("RELEVANS")),
                row("F13", "Der er udarbejdet kommunikationsmateriale til strategisk niveau", Some("FORMKRAV")),
                row("F14", "Der er udarbejdet præsentationsmateriale af løsningen", Some("FORMKRAV")),
            ],
        );
        let m = map(rules, &s);
        assert_eq!(
            placed(rules, &m, &s),
            [
                ("R1".into(), "R1".into(), How::IdAndText),
                ("R3".into(), "R2".into(), How::Text),
                ("F14".into(), "F13".into(), How::Text),
                ("F13".into(), "F14".into(), How::Text),
            ]
        );
    }

    #[test]
    fn typos_and_recommendation_marks_do_not_stop_a_match() {
        let rules = crate::check::testkit::rules();
        let s = report(
            Form::Checklist,
            vec![
                row("F2", "Open Soruce licenskriterier overholdes", None),
                row("G7", "Der er nedsat en koordinationsgruppe (anbefaling)", None),
                row("", "Der foreligger en aftale der sikre økonomi til koordinerg og videreudvikling", None),
            ],
        );
        let m = map(rules, &s);
        let got: Vec<String> = m.placed.iter().map(|p| rules.requirements[p.requirement].id.clone()).collect();
        assert_eq!(got, ["F2", "G7", "G13"]);
    }

    #[test]
    fn what_matches_nothing_or_two_things_or_a_taken_requirement_is_unplaced_with_a_reason() {
        let rules = crate::check::testkit::rules();
        let s = report(
            Form::Checklist,
            vec![
                row("R1", "Løsningen skaber lokal værdi", Some("RELEVANS")),
                // Old R2: its text is most like R1, which R1 already answers.
                row("R2", "Løsningen skaber potentielt værdi for andre", Some("RELEVANS")),
                // Old F11: "OS2's tools (Jira)" – nothing in today's catalogue says that.
                row("F11", "OS2's værktøjer benyttes (Jira)", Some("FORMKRAV")),
                row("X9", "Kaffen er god", None),
            ],
        );
        let m = map(rules, &s);
        assert_eq!(m.placed.len(), 1);
        let why: Vec<&Why> = m.unplaced.iter().map(|u| &u.why).collect();
        assert!(matches!(why[0], Why::Taken { by_row: 0, .. }), "{why:?}");
        assert!(matches!(why[1], Why::NoMatch { known_id: Some(_), .. }), "{why:?}");
        assert!(matches!(why[2], Why::NoMatch { known_id: None, closest: None }), "{why:?}");
        let text = m.unplaced[0].why.text(rules, &s);
        assert!(text.da.contains("allerede besvaret af kildens R1"), "{}", text.da);
        assert!(m.unplaced[1].why.text(rules, &s).en.contains("older catalogue"));
    }

    #[test]
    fn a_2025_id_holds_when_its_short_text_fits_nothing_else_but_not_when_it_fits_another() {
        let rules = crate::check::testkit::rules();
        let s = report(
            Form::Template2025,
            vec![
                row("G13", "Finansieringsaftale", Some("GOVERNANCE")),
                // A 2025 row whose text is plainly another requirement's.
                row("G4", "Der er nedsat en styregruppe", Some("GOVERNANCE")),
            ],
        );
        let m = map(rules, &s);
        assert_eq!(
            placed(rules, &m, &s),
            [("G4".into(), "G6".into(), How::Text), ("G13".into(), "G13".into(), How::Id)]
        );
        // The same rows in the old checklist: the weak ID is not taken on trust.
        let old = report(Form::Checklist, s.rows.clone());
        let m = map(rules, &old);
        assert_eq!(placed(rules, &m, &old), [("G4".into(), "G6".into(), How::Text)]);
        assert_eq!(m.unplaced.len(), 1);
    }

    #[test]
    fn the_catalogue_is_data_a_renamed_requirement_is_found_by_its_new_id() {
        let mut rules = crate::check::testkit::rules().clone();
        let g6 = rules.requirements.iter().position(|r| r.id == "G6").unwrap();
        rules.requirements[g6].id = "G60".into();
        rules.lookup =
            crate::model::rules::Lookup::build(&rules.levels, &rules.phases, &rules.reasons, &rules.requirements);
        let s = report(Form::Template2025, vec![row("G6", "Der er nedsat en styregruppe", None)]);
        let m = map(&rules, &s);
        assert_eq!(placed(&rules, &m, &s), [("G6".into(), "G60".into(), How::Text)]);
    }
}
