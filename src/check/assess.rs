//! Traffic lights per requirement, light counts per level × theme (as in OS2's assessment
//! reports), the attained level with the requirements that block it, and what is missing
//! for the next level. A requirement falls due with the process (Krav.Fra fase): before
//! its phase its light is shown and counted, but a blank is no error and it does not
//! block the level. The secretariat's Vurdering comes from its register only (never from
//! the projektark, which the lead writes): a register row applies while the answer it was
//! given on stands.

use crate::check::previous::AppliedBefore;
use crate::check::process::Process;
use crate::model::choice::{Answer, Light, ReqKind};
use crate::model::project::{Input, Project, RequirementRow};
use crate::model::register::{RecordedAssessment, Register};
use crate::model::rules::{LevelId, PhaseId, Rules};
use crate::text::Text;
use serde::Serialize;

/// Counts of lights; `blank` is "Ikke udfyldt".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LightCounts {
    pub groen: u32,
    pub gul: u32,
    pub roed: u32,
    pub graa: u32,
    pub blank: u32,
}

impl LightCounts {
    pub fn add(&mut self, light: Option<Light>) {
        match light {
            Some(Light::Groen) => self.groen += 1,
            Some(Light::Gul) => self.gul += 1,
            Some(Light::Roed) => self.roed += 1,
            Some(Light::Graa) => self.graa += 1,
            None => self.blank += 1,
        }
    }

    pub fn merge(&mut self, other: &LightCounts) {
        self.groen += other.groen;
        self.gul += other.gul;
        self.roed += other.roed;
        self.graa += other.graa;
        self.blank += other.blank;
    }

    pub fn total(&self) -> u32 {
        self.groen + self.gul + self.roed + self.graa + self.blank
    }

    /// The counts in a fixed order: grøn, gul, rød, grå, ikke udfyldt.
    pub fn as_array(&self) -> [u32; 5] {
        [self.groen, self.gul, self.roed, self.graa, self.blank]
    }
}

/// The assessment of one project against the catalogue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assessment {
    /// The light of each requirement of `Rules::requirements` (same order); `None` is
    /// "Ikke udfyldt" (no row, blank or unreadable answer).
    pub lights: Vec<Option<Light>>,
    /// The light computed from the answer alone, before the secretariat's Vurdering
    /// (a Ja that a cross-check contradicts is Rød).
    pub computed: Vec<Option<Light>>,
    /// Counts per level (index = `LevelId`) and per level × theme (theme index as in
    /// `Rules::themes`).
    pub by_level: Vec<LightCounts>,
    pub by_level_theme: Vec<Vec<LightCounts>>,
    /// The highest level reached; `None` is "ingen" (below the lowest level).
    pub attained: Option<LevelId>,
    /// Skal requirements at or below the declared level, due in the project's phase,
    /// that are Rød or Ikke udfyldt.
    pub blocking: Vec<usize>,
    /// Skal requirements at or below the level above the attained one, due in the
    /// project's phase, that are Rød or Ikke udfyldt: what is missing for the next level.
    pub next_gap: Vec<usize>,
    /// The level above the attained one, if there is one.
    pub next_level: Option<LevelId>,
    /// Whether each requirement is due yet in the project's (effective) phase: Krav.Fra
    /// fase at or before it.
    pub due: Vec<bool>,
    /// Why a Ja is contradicted by the facts in the sheet (Krav.Krydstjek), per
    /// requirement; `None` where nothing contradicts it.
    pub contradicted: Vec<Option<Text>>,
    /// When some Skal requirement at or below the attained level is not due yet: the
    /// phase the attained level holds for ("N2 (for fasen Idé)").
    pub attained_for_phase: Option<PhaseId>,
    /// The project's way through the process, read from Historik.
    pub process: Process,
    /// The period since which an overrun or red economy has stood, if one stands now.
    pub economy_since: Option<String>,
    /// The last board-approved budget the economy rules judged by (see
    /// `economy::approved`); `None` before the project started or without a baseline.
    pub approved_budget: Option<f64>,
    /// 'Budget ved godkendelse' as the economy rules accepted it against earlier periods (an
    /// unexplained rewrite keeps the earlier value); `None` before the project started.
    pub accepted_baseline: Option<f64>,
    /// The date of the newest status report that counts on the run date, a deleted one an
    /// earlier period counted included (see `status::check`).
    pub newest_status: Option<chrono::NaiveDate>,
    /// Per requirement: the evidence a cross-check found malformed (an e-mail typo, a
    /// link without a scheme): a finding for the lead; a Ja keeps at most Gul.
    pub malformed: Vec<bool>,
    /// Per requirement: the secretariat's assessment from the register that applies (its
    /// Svar-id is the answer's, or it was typed by hand without one).
    pub applied: Vec<Option<RecordedAssessment>>,
    /// Per requirement: the register's newest assessment when it was given on another
    /// answer than the one standing now (to assess again); the computed light counts.
    pub outdated: Vec<Option<RecordedAssessment>>,
    /// Per requirement: it waits for the secretariat – an applicable, due Skal requirement
    /// answered Nej or Ikke relevant with a Forklaring, not contradicted by the facts, and
    /// no applicable assessment; or an outdated assessment whose new answer is not green.
    pub awaiting: Vec<bool>,
}

/// What the secretariat has recorded that an assessment takes: the register, and the
/// register rows the previous run applied (so a hand-typed row goes out of date when the
/// answer it was applied to changes).
#[derive(Clone, Copy, Debug)]
pub struct Recorded<'a> {
    pub register: &'a Register,
    pub applied_before: &'a [AppliedBefore],
}

impl Recorded<'static> {
    /// Nothing recorded: an empty register.
    pub fn none() -> Recorded<'static> {
        Recorded { register: &crate::model::register::EMPTY, applied_before: &[] }
    }
}

/// Whether a requirement is due in a phase: its Fra fase (blank = the first phase) is at
/// or before it. With no known phase, everything is due.
pub fn due(rules: &Rules, requirement: &crate::model::rules::Requirement, phase: Option<PhaseId>) -> bool {
    phase.is_none_or(|p| rules.reached(p, rules.due_from(requirement)))
}

/// Words that point at documentation without naming it, only answer, or say it is not
/// there yet (folded). A Dokumentation made of nothing else is no evidence.
const NOT_EVIDENCE_WORDS: &[&str] = &[
    "her",
    "herunder",
    "heri",
    "der",
    "link",
    "links",
    "linket",
    "linkene",
    "url",
    "klik",
    "tryk",
    "see",
    "here",
    "click",
    "yes",
    "done",
    "okay",
    "tjek",
    "check",
    "findes",
    "haves",
    "det",
    "den",
    "dem",
    "som",
    "med",
    "for",
    "fra",
    "til",
    "paa",
    "har",
    "ved",
    "kan",
    "skal",
    "vil",
    "vaere",
    "goer",
    "goeres",
    "gjort",
    "noget",
    "nogen",
    "alt",
    "alle",
    "hos",
    "efter",
    "eller",
    "men",
    "ikke",
    "nej",
    "jep",
    "jeps",
    "klart",
    "selvfoelgelig",
    "dokumentation",
    "dokumentationen",
    "dokument",
    "dokumentet",
    "dokumenter",
    "dokumenterne",
    "beskrivelse",
    "beskrivelsen",
    "beskrevet",
    "henvisning",
    "reference",
    "kilde",
    "fil",
    "filen",
    "side",
    "siden",
    "hjemmeside",
    "hjemmesiden",
    "kommer",
    "senere",
    "snart",
    "todo",
    "tbd",
    "foelger",
    "nedenfor",
    "ovenfor",
    "ovenstaaende",
    "nedenstaaende",
    "the",
    "and",
    "this",
    "that",
    "afventer",
    "planlagt",
    "mangler",
    "endnu",
    "ingen",
    "intet",
    "igang",
    "gang",
    "delvist",
    "delvis",
    "opfyldt",
    "vores",
    "jeres",
    "hvor",
    "hvad",
];

/// Whether a Dokumentation is evidence: it holds a URL or address, a digit (a date, a
/// case or version number), a file or domain name (`Kommissorium.pdf`, `os2.eu`), or at
/// least one word of three or more letters that is not in [`NOT_EVIDENCE_WORDS`] (a
/// document's or body's name: "Se styregruppereferat", "jf. tilslutningsaftalen"). "her",
/// "link", "Se her", "Ja", "?" or "Har vi noget?" are not.
pub fn is_evidence(text: &str) -> bool {
    let t = text.trim();
    if t.contains("://") || t.contains('@') || t.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let dotted = t.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && (2..=5).contains(&b.chars().count()) && b.chars().all(char::is_alphanumeric)
        })
    });
    dotted
        || crate::text::fold(t)
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.chars().count() >= 3 && !NOT_EVIDENCE_WORDS.contains(&w))
}

/// The light an answer gives by itself (spec §6): a contradicted Ja or Ikke relevant is
/// Rød; a Ja with malformed evidence at most Gul; Dokumentation that is no evidence ("her",
/// "link") counts as none (KRAV-NO-EVIDENCE); an Ikke relevant on a Skal requirement that
/// applies and is due is a deviation like a Nej – Rød until the secretariat assesses it
/// (`deviation`).
pub fn computed_light(row: &RequirementRow, contradicted: bool, malformed: bool, deviation: bool) -> Option<Light> {
    match row.answer {
        Input::Given(Answer::Ja | Answer::IkkeRelevant) if contradicted => Some(Light::Roed),
        Input::Given(Answer::Ja) if row.evidence.as_deref().is_some_and(is_evidence) && !malformed => {
            Some(Light::Groen)
        }
        Input::Given(Answer::Ja) | Input::Given(Answer::VedIkke) => Some(Light::Gul),
        Input::Given(Answer::Nej) => Some(Light::Roed),
        Input::Given(Answer::IkkeRelevant) if deviation => Some(Light::Roed),
        Input::Given(Answer::IkkeRelevant) => Some(Light::Graa),
        Input::Blank | Input::Invalid => None,
    }
}

/// Whether an answer is an explained or unexplained deviation from a Skal requirement that
/// applies (at or below `level`) and is due: Nej, or Ikke relevant.
pub fn is_skal_deviation(rules: &Rules, index: usize, row: &RequirementRow, level: LevelId, due: bool) -> bool {
    let req = &rules.requirements[index];
    req.kind == ReqKind::Skal
        && req.level <= level
        && due
        && matches!(row.answer, Input::Given(Answer::Nej | Answer::IkkeRelevant))
}

/// The register's assessment for a requirement and whether it applies to the answer
/// standing: `Ok` applies, `Err` is outdated (given on another answer).
pub fn recorded_for<'a>(
    recorded: &Recorded<'a>,
    project: &str,
    index: usize,
    requirement_id: &str,
    row: &RequirementRow,
) -> Option<Result<&'a RecordedAssessment, &'a RecordedAssessment>> {
    let newest = recorded.register.newest(project, index)?;
    let fingerprint = answer_fingerprint(row)?;
    let applies = match &newest.answer_id {
        Some(id) => *id == fingerprint,
        // Typed by hand: it applies to the answer standing when first applied; the
        // previous run remembers which one that was.
        None => !recorded.applied_before.iter().any(|b| {
            b.requirement == requirement_id
                && b.register_row == newest.row
                && Some(b.light) == newest.light
                && b.answer != fingerprint
        }),
    };
    Some(if applies { Ok(newest) } else { Err(newest) })
}

/// What a Vurdering was given on: the answer, the documentation and the explanation
/// (trimmed), as 16 hex digits of their sha256. `None` when the answer cannot be read.
pub fn answer_fingerprint(row: &RequirementRow) -> Option<String> {
    use sha2::{Digest, Sha256};
    let answer = match &row.answer {
        Input::Given(a) => a.da(),
        Input::Blank => "",
        Input::Invalid => return None,
    };
    let mut hasher = Sha256::new();
    for part in [answer, row.evidence.as_deref().unwrap_or(""), row.explanation.as_deref().unwrap_or("")] {
        let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    Some(hex::encode(&hasher.finalize()[..8]))
}

/// Finds the row answering requirement `index`, if any.
pub fn row_for(project: &Project, index: usize) -> Option<&RequirementRow> {
    project.requirements.iter().find(|r| r.requirement == Some(index))
}

fn blocks(rules: &Rules, lights: &[Option<Light>], due: &[bool], index: usize) -> bool {
    due[index] && rules.requirements[index].kind == ReqKind::Skal && matches!(lights[index], None | Some(Light::Roed))
}

/// Skal requirements at or below `level`, due in the project's phase, that are Rød or
/// Ikke udfyldt.
pub fn blockers(rules: &Rules, lights: &[Option<Light>], due: &[bool], level: LevelId) -> Vec<usize> {
    (0..rules.requirements.len())
        .filter(|&i| rules.requirements[i].level <= level && blocks(rules, lights, due, i))
        .collect()
}

/// Assesses a project with an empty register, reading its process from Historik.
pub fn assess(rules: &Rules, project: &Project) -> Assessment {
    assess_recorded(rules, project, &Recorded::none())
}

/// Assesses a project with what the secretariat has recorded, reading its process from
/// Historik.
pub fn assess_recorded(rules: &Rules, project: &Project, recorded: &Recorded<'_>) -> Assessment {
    assess_with(rules, project, Process::read(rules, project), recorded)
}

/// Assesses a project whose process has been read.
pub fn assess_with(rules: &Rules, project: &Project, process: Process, recorded: &Recorded<'_>) -> Assessment {
    let n = rules.requirements.len();
    // The level the project is judged at: the level in force (the register and the log),
    // else the declared level. Without either only the lowest level's requirements are
    // certain to apply.
    let declared = process.in_force.or(project.fields.level.given().copied());
    let level = declared.unwrap_or(LevelId(0));
    let phase = process.effective;
    let due: Vec<bool> = rules.requirements.iter().map(|r| due(rules, r, phase)).collect();
    let mut lights = vec![None; n];
    let mut computed = vec![None; n];
    let mut applied = vec![None; n];
    let mut outdated = vec![None; n];
    let mut awaiting = vec![false; n];
    let mut malformed = vec![false; n];
    let mut contradicted: Vec<Option<Text>> = vec![None; n];
    for row in &project.requirements {
        let Some(i) = row.requirement else { continue };
        let req = &rules.requirements[i];
        let deviation = is_skal_deviation(rules, i, row, level, due[i]);
        // A Ja is cross-checked; so is an Ikke relevant where it is a deviation (a Skal
        // requirement that applies and is due): "not relevant" does not make a missing
        // steering group present. A Bør may simply not be followed.
        let checked = match row.answer {
            Input::Given(Answer::Ja) => true,
            Input::Given(Answer::IkkeRelevant) => deviation,
            _ => false,
        };
        if let (true, Some(check)) = (checked, req.cross_check)
            && let Some(c) = crate::check::crosscheck::contradiction(rules, project, &process, check, level)
        {
            match c.red() {
                Some(why) => contradicted[i] = Some(why.clone()),
                None => malformed[i] = true,
            }
        }
        computed[i] = computed_light(row, contradicted[i].is_some(), malformed[i], deviation);
        lights[i] = computed[i];
        match project.id().and_then(|id| recorded_for(recorded, id, i, &req.id, row)) {
            Some(Ok(a)) => {
                lights[i] = a.light;
                applied[i] = Some(a.clone());
            }
            Some(Err(a)) => outdated[i] = Some(a.clone()),
            None => {}
        }
        // What only the secretariat can settle: an explained deviation the facts do not
        // contradict, or a changed answer to an assessment that is not plainly green now.
        awaiting[i] = applied[i].is_none()
            && ((deviation && row.explanation.is_some() && contradicted[i].is_none())
                || (outdated[i].is_some() && computed[i] != Some(Light::Groen)));
    }
    let mut by_level = vec![LightCounts::default(); rules.levels.len()];
    let mut by_level_theme = vec![vec![LightCounts::default(); rules.themes.len()]; rules.levels.len()];
    for (i, req) in rules.requirements.iter().enumerate() {
        by_level[req.level.0].add(lights[i]);
        by_level_theme[req.level.0][rules.theme_index(&req.theme)].add(lights[i]);
    }
    // Levels are sorted lowest first; a level is reached when nothing due at or below
    // blocks. Above the declared level a level with no Skal requirement due yet is not
    // counted as reached: there is nothing to show for it.
    let mut attained = None;
    for l in 0..rules.levels.len() {
        let level = LevelId(l);
        let above_declared = declared.is_some_and(|d| level > d);
        let nothing_due =
            !rules.requirements.iter().enumerate().any(|(i, r)| r.level == level && r.kind == ReqKind::Skal && due[i]);
        if blockers(rules, &lights, &due, level).is_empty() && !(above_declared && nothing_due) {
            attained = Some(level);
        } else {
            break;
        }
    }
    let next_level = match attained {
        Some(LevelId(l)) if l + 1 < rules.levels.len() => Some(LevelId(l + 1)),
        Some(_) => None,
        None => (!rules.levels.is_empty()).then_some(LevelId(0)),
    };
    let next_gap = next_level.map(|n| blockers(rules, &lights, &due, n)).unwrap_or_default();
    let blocking = declared.map(|d| blockers(rules, &lights, &due, d)).unwrap_or_default();
    let attained_for_phase = attained.and_then(|a| {
        let pending =
            rules.requirements.iter().enumerate().any(|(i, r)| r.level <= a && r.kind == ReqKind::Skal && !due[i]);
        if pending { phase } else { None }
    });
    Assessment {
        lights,
        computed,
        by_level,
        by_level_theme,
        attained,
        blocking,
        next_gap,
        next_level,
        due,
        contradicted,
        attained_for_phase,
        process,
        economy_since: None,
        approved_budget: None,
        accepted_baseline: None,
        newest_status: None,
        malformed,
        applied,
        outdated,
        awaiting,
    }
}

/// The attained level as people read it: `N2 (Niveau 2)` (with `long`) or `N2`, followed
/// by `(for fasen Idé)` / `, for fasen Idé` while not every requirement at or below it is due yet; `ingen`
/// below the lowest level.
pub fn attained_label(rules: &Rules, assessment: &Assessment, lang: crate::text::Lang, long: bool) -> String {
    let Some(a) = assessment.attained else {
        return lang.pick("ingen", "none").to_string();
    };
    let label = if long { crate::check::context::level_label(rules, a) } else { rules.level(a).code.clone() };
    match assessment.attained_for_phase {
        Some(p) => {
            let name = &rules.phase(p).name;
            match (lang, long) {
                (crate::text::Lang::Da, false) => format!("{label} (for fasen {name})"),
                (crate::text::Lang::En, false) => format!("{label} (for the phase {name})"),
                (crate::text::Lang::Da, true) => format!("{label}, for fasen {name}"),
                (crate::text::Lang::En, true) => format!("{label}, for the phase {name}"),
            }
        }
        None => label,
    }
}

#[cfg(test)]
mod tests;
