//! Places a source report's rows on the current catalogue's requirements, by ID **and**
//! text. A row goes to the requirement its ID names when the text fits that requirement
//! at least as well as any other ("ID og tekst"). When another requirement fits the text
//! clearly better than the ID's own (by [`OUTVOTE`], with a score of at least
//! [`TEXT_MIN`] – [`AGREE`] in the forms that number after the current catalogue – and
//! [`TEXT_MARGIN`] ahead of the next), the text wins: the old checklist's S4 is today's
//! S5. Otherwise the ID holds and the Import sheet says "kontrollér" and why. A row
//! without a known ID goes to the requirement its text matches ([`similarity`]) – when
//! one matches clearly better than the rest. A row that matches nothing, matches two
//! requirements equally, or matches one another row already took, is not placed, with a
//! reason: never dropped, never guessed. Only the loaded [`Rules`] are consulted: their
//! texts and OS2's own wordings of them (Krav.OS2's ordlyd).
//!
//! Cost: each row is compared with the catalogue once, in time proportional to its words
//! (words are compared with the catalogue's vocabulary once per distinct word), so a
//! source's matching is linear in its rows.

use super::similarity::{Catalogue, Score};
use crate::import::source::{SourceReport, SourceRow};
use crate::model::rules::Rules;
use crate::text::Text;
use crate::text::fold;
use crate::text::t;
use std::collections::HashMap;

/// Below this score a text tells nothing about the requirement it is compared with.
pub const TEXT_MIN: f64 = 0.4;
/// How much better the best text match must be than the next to be taken.
pub const TEXT_MARGIN: f64 = 0.15;
/// From this score on, an ID's text is said to agree.
pub const AGREE: f64 = 0.5;
/// The least agreement an old-checklist ID needs when no other requirement fits better.
pub const AGREE_OLD: f64 = 0.2;
/// How much better another requirement must fit for the text to outvote the ID.
pub const OUTVOTE: f64 = 0.15;

/// How a row found its requirement: the rule that decided, for the Import sheet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum How {
    /// Same ID, and the text fits it (≥ [`AGREE`]) at least as well as any other.
    IdAndText,
    /// Same ID, held although the text does not plainly agree: it is worded differently
    /// (below [`AGREE`]), or `rival` fits it a little better (less than [`OUTVOTE`]).
    Id { rival: Option<(usize, f64)> },
    /// By text, against the ID: the ID names `id_requirement`, which the text fits
    /// (`id_score`) clearly worse than the requirement it went to.
    TextOverId { id_requirement: usize, id_score: f64 },
    /// By text: the row has no ID, or one the catalogue does not know.
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
    /// The score came from OS2's own wording of the requirement (Krav.OS2's ordlyd).
    pub official: bool,
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
        // `placed` is in the catalogue's order.
        self.placed.binary_search_by_key(&requirement, |p| p.requirement).ok().map(|i| &self.placed[i])
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
    let mut catalogue = Catalogue::new(rules.requirements.iter().map(|r| (r.text.as_str(), r.official.as_slice())));
    let trust_ids = source.form.is_some_and(|f| f.current_ids());
    // The least score another requirement needs to outvote an ID.
    let outvote_min = if trust_ids { AGREE } else { TEXT_MIN };
    let mut pools: HashMap<Option<String>, Vec<usize>> = HashMap::new();
    let mut wanted: Vec<Placed> = Vec::new();
    let mut unplaced: Vec<Unplaced> = Vec::new();
    for (i, row) in source.rows.iter().enumerate() {
        let by_id = rules.find_requirement(&row.id);
        if row.text.trim().is_empty() {
            match by_id {
                Some(r) if trust_ids => wanted.push(Placed {
                    row: i,
                    requirement: r,
                    how: How::Id { rival: None },
                    score: 0.0,
                    official: false,
                }),
                Some(_) => unplaced.push(Unplaced { row: i, why: Why::NoText }),
                None => unplaced.push(Unplaced { row: i, why: Why::NoMatch { known_id: None, closest: None } }),
            }
            continue;
        }
        let pool = pools.entry(row.theme.clone()).or_insert_with(|| candidates(rules, row));
        let prepared = catalogue.source(&row.text);
        let all: Vec<Score> = catalogue.scores(&prepared);
        let mut scores: Vec<(usize, f64)> = pool.iter().map(|r| (*r, all[*r].score)).collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let place = |requirement: usize, how: How| Placed {
            row: i,
            requirement,
            how,
            score: all[requirement].score,
            official: all[requirement].official,
        };
        if let Some(r) = by_id {
            let own = all[r].score;
            let mut others = scores.iter().filter(|(o, _)| *o != r);
            let first = others.next().copied();
            let second = others.next().map_or(0.0, |(_, s)| *s);
            match first {
                // Another requirement fits clearly better: the text wins, when it is plain which.
                Some((o, s)) if s >= outvote_min && s >= own + OUTVOTE => {
                    if s - second >= TEXT_MARGIN {
                        wanted.push(place(o, How::TextOverId { id_requirement: r, id_score: own }));
                    } else if trust_ids {
                        wanted.push(place(r, How::Id { rival: Some((o, s)) }));
                    } else {
                        let second = scores.iter().filter(|(x, _)| *x != r && *x != o).copied().next();
                        unplaced.push(Unplaced {
                            row: i,
                            why: Why::Ambiguous { first: (o, s), second: second.unwrap_or((o, s)) },
                        });
                    }
                    continue;
                }
                Some((_, s)) if own >= AGREE && own >= s => {
                    wanted.push(place(r, How::IdAndText));
                    continue;
                }
                None if own >= AGREE => {
                    wanted.push(place(r, How::IdAndText));
                    continue;
                }
                rival if trust_ids || own >= AGREE_OLD => {
                    let rival = rival.filter(|(_, s)| *s > own);
                    wanted.push(place(r, How::Id { rival }));
                    continue;
                }
                _ => {}
            }
        }
        let best = scores.first().copied();
        let second = scores.get(1).map_or(0.0, |(_, s)| *s);
        let how = |r: usize| match by_id {
            Some(id_requirement) if id_requirement != r => {
                How::TextOverId { id_requirement, id_score: all[id_requirement].score }
            }
            _ => How::Text,
        };
        match best {
            Some((r, s)) if s >= TEXT_MIN && s - second >= TEXT_MARGIN => wanted.push(place(r, how(r))),
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
    // One row per requirement: IDs that agree first, then IDs held, then the best texts; a
    // later row for a taken requirement is reported, not merged.
    let rank = |p: &Placed| match p.how {
        How::IdAndText => 0,
        How::Id { .. } => 1,
        How::TextOverId { .. } | How::Text => 2,
    };
    wanted.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.score.total_cmp(&a.score)).then(a.row.cmp(&b.row)));
    let mut by_requirement: HashMap<usize, usize> = HashMap::new();
    let mut placed: Vec<Placed> = Vec::new();
    for p in wanted {
        match by_requirement.get(&p.requirement) {
            Some(&q) => unplaced
                .push(Unplaced { row: p.row, why: Why::Taken { requirement: p.requirement, by_row: placed[q].row } }),
            None => {
                by_requirement.insert(p.requirement, placed.len());
                placed.push(p);
            }
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

    /// (source ID, requirement ID, the rule's name).
    fn placed(rules: &Rules, m: &Mapping, source: &SourceReport) -> Vec<(String, String, &'static str)> {
        m.placed
            .iter()
            .map(|p| {
                let how = match p.how {
                    How::IdAndText => "IdAndText",
                    How::Id { .. } => "Id",
                    How::TextOverId { .. } => "TextOverId",
                    How::Text => "Text",
                };
                (source.rows[p.row].id.clone(), rules.requirements[p.requirement].id.clone(), how)
            })
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
        assert_eq!(placed(rules, &m, &s), [("G6".into(), "G6".into(), "IdAndText")]);
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
                ("R1".into(), "R1".into(), "IdAndText"),
                ("R3".into(), "R2".into(), "TextOverId"),
                ("F14".into(), "F13".into(), "TextOverId"),
                ("F13".into(), "F14".into(), "TextOverId"),
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
            [("G4".into(), "G6".into(), "TextOverId"), ("G13".into(), "G13".into(), "Id")]
        );
        // The same rows in the old checklist: the weak ID is not taken on trust.
        let old = report(Form::Checklist, s.rows.clone());
        let m = map(rules, &old);
        assert_eq!(placed(rules, &m, &old), [("G4".into(), "G6".into(), "TextOverId")]);
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
        assert_eq!(placed(&rules, &m, &s), [("G6".into(), "G60".into(), "Text")]);
    }

    #[test]
    fn the_old_checklists_four_s_rows_the_old_s4_is_todays_s5() {
        let rules = crate::check::testkit::rules();
        let section = Some("STRATEGISK SAMMENHÆNG");
        let s = report(
            Form::Checklist,
            vec![
                row("S1", "Produktet har en kobling til OS2's strategi", section),
                row("S2", "Løsningen understøtter innovation og Open Source", section),
                row("S3", "Produktets (forventlige) kobling til OS2's vision og strategi er beskrevet", section),
                row(
                    "S4",
                    "Produktets kobling til og overensstemmelse med OS2's vision og strategi er tilstede og beskrevet",
                    section,
                ),
            ],
        );
        let m = map(rules, &s);
        assert_eq!(
            placed(rules, &m, &s),
            [
                ("S1".into(), "S1".into(), "IdAndText"),
                ("S2".into(), "S2".into(), "IdAndText"),
                ("S3".into(), "S3".into(), "IdAndText"),
                ("S4".into(), "S5".into(), "TextOverId"),
            ]
        );
        let s4 = rules.requirements.iter().position(|r| r.id == "S4").unwrap();
        assert!(m.row_for(s4).is_none(), "today's S4 is left blank, not given the old S4's answer");
        let p = m.placed.iter().find(|p| rules.requirements[p.requirement].id == "S5").unwrap();
        assert!(p.official, "matched OS2's own wording of S5");
        assert!(matches!(p.how, How::TextOverId { id_requirement, .. } if id_requirement == s4));
    }

    #[test]
    fn os2s_own_wording_is_the_same_requirement_without_check() {
        let rules = crate::check::testkit::rules();
        // The 2025 template's F12 shares one word with the catalogue's text.
        let s = report(Form::Template2025, vec![row("F12", "Der er kun en version af core koden", Some("FORMKRAV"))]);
        let m = map(rules, &s);
        assert_eq!(placed(rules, &m, &s), [("F12".into(), "F12".into(), "IdAndText")]);
        assert!(m.placed[0].official);
        // Near miss: without OS2's wording in the styringsmodel the same row holds by ID only.
        let mut bare = rules.clone();
        for r in &mut bare.requirements {
            r.official.clear();
        }
        let m = map(&bare, &s);
        assert_eq!(placed(&bare, &m, &s), [("F12".into(), "F12".into(), "Id")]);
    }

    #[test]
    fn an_id_holds_against_a_rival_that_fits_only_a_little_better() {
        let rules = crate::check::testkit::rules();
        // "vision og strategi" is S4's and S5's; the ID says S4 and the text is S4's own.
        let s = report(
            Form::Template2025,
            vec![row("S4", "Der er en vision og strategi for produktet og OS2", Some("STRATEGISK SAMMENHÆNG"))],
        );
        let m = map(rules, &s);
        assert_eq!(placed(rules, &m, &s), [("S4".into(), "S4".into(), "IdAndText")]);
        // A text that fits S5 clearly better than S4 goes to S5 in both kinds of form.
        for form in [Form::Template2025, Form::Checklist] {
            let s =
                report(form, vec![row("S4", "Produktets sammenhæng med OS2's vision og strategi er beskrevet", None)]);
            let m = map(rules, &s);
            assert_eq!(placed(rules, &m, &s), [("S4".into(), "S5".into(), "TextOverId")], "{form:?}");
        }
    }

    #[test]
    fn matching_is_linear_in_rows() {
        let rules = crate::check::testkit::rules();
        let rows: Vec<SourceRow> = (0..20_000)
            .map(|i| {
                row(&format!("X{}", i % 900), &format!("Løsningen skaber lokal værdi nr {i} i kommune {}", i * 7), None)
            })
            .collect();
        let s = report(Form::Json, rows);
        let started = std::time::Instant::now();
        let m = map(rules, &s);
        assert_eq!(m.placed.len() + m.unplaced.len(), 20_000);
        assert_eq!(m.placed.len(), 1, "one row per requirement; the rest are named as taken");
        assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
    }
}
