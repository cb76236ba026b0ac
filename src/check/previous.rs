//! What the previous run said, by Projekt-ID: read back from its findings JSON
//! ([`read_previous`], tolerantly: unknown fields ignored) so this run can tell what
//! changed and follow problems up. Pure.

use std::collections::HashMap;

/// What the previous run said about a project (from its findings JSON).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviousProject {
    pub declared_level: Option<String>,
    pub attained_level: Option<String>,
    /// The level in force then (the register and the log, else the declared level); older
    /// findings files lack it.
    pub in_force_level: Option<String>,
    pub phase: Option<String>,
    /// (code, requirement, sheet!cell) of each finding, to tell new from resolved ones.
    pub findings: Vec<(String, Option<String>, String)>,
    /// The run's period (YYYY-MM).
    pub period: Option<String>,
    /// The current budget then, to notice a change nobody logged.
    pub budget: Option<f64>,
    /// The period since which an overrun or red economy had stood then, if one stood.
    pub economy_since: Option<String>,
    /// Name and lead, to remind the lead when the projektark is not sent in again.
    pub name: Option<String>,
    pub lead: Option<String>,
    pub lead_email: Option<String>,
    /// The secretariat's Vurdering per requirement the previous run applied, with what the
    /// answer was. Read only to create the register (its migration, design §1.6): nothing
    /// is carried forward from a findings JSON any more.
    pub assessments: Vec<EarlierAssessment>,
    /// The register rows the previous run applied, and to which answer: a row typed by
    /// hand (without Svar-id) applies to the answer standing when it was first applied,
    /// and goes out of date when that answer changes.
    pub applied: Vec<AppliedBefore>,
    /// The project was closed then (a stop that counts): no projektark is expected.
    pub closed: bool,
    /// The project's history through the previous period (issue 20): the union of report
    /// rows, the accepted baseline and budget changes. `None` from a findings JSON.
    pub history: Option<Box<crate::model::history::ProjectState>>,
}

impl PreviousProject {
    /// Since when its findings had stood (the history's record; from a findings JSON, or
    /// for a finding the record lacks, the period it was last seen in).
    pub fn finding_ages(&self) -> crate::model::history::FindingAges {
        let mut since = self.history.as_ref().map(|h| h.findings_since.clone()).unwrap_or_default();
        if let Some(period) = &self.period {
            for key in &self.findings {
                since.entry(crate::model::history::finding_id(key)).or_insert_with(|| period.clone());
            }
        }
        crate::model::history::FindingAges { last_seen: self.period.clone(), since }
    }
}

/// A register row the previous run applied.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedBefore {
    pub requirement: String,
    pub register_row: u32,
    pub light: crate::model::choice::Light,
    /// The fingerprint of the answer it was applied to.
    pub answer: String,
}

/// A Vurdering the previous run applied to a requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlierAssessment {
    /// The requirement's ID.
    pub requirement: String,
    pub light: crate::model::choice::Light,
    pub rationale: Option<String>,
    /// [`assess::answer_fingerprint`] of the answer it was given on.
    pub answer: String,
    /// The period in which the secretariat wrote it.
    pub since: Option<String>,
}

/// The previous run, by Projekt-ID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    pub period: Option<String>,
    pub projects: HashMap<String, PreviousProject>,
    /// The run's count of findings of severity error (`summary.errors` of a findings
    /// JSON), for the history's portfolio point of a period rebuilt from it; `None` from
    /// the history's state or a JSON without it.
    pub errors: Option<usize>,
}

impl Previous {
    /// The previous run as the archive's history has it: every project ever seen, each as
    /// it was *last seen* (so a skipped month compares with the month before), with its
    /// history. `period` is the newest period folded in.
    pub fn from_state(state: &crate::model::history::State) -> Previous {
        let projects = state
            .projects
            .iter()
            .map(|(id, p)| {
                let h = &p.last;
                let applied = h
                    .applied
                    .iter()
                    .filter_map(|(requirement, row, light, answer)| {
                        Some(AppliedBefore {
                            requirement: requirement.clone(),
                            register_row: *row,
                            light: crate::model::choice::Light::parse(light)?,
                            answer: answer.clone(),
                        })
                    })
                    .collect();
                let previous = PreviousProject {
                    declared_level: h.declared.clone(),
                    attained_level: h.attained.clone(),
                    in_force_level: h.in_force.clone(),
                    phase: h.phase.clone(),
                    findings: h.findings.clone(),
                    period: Some(p.last_seen.clone()),
                    budget: h.budget,
                    economy_since: h.economy_since.clone(),
                    name: h.name.clone(),
                    lead: h.lead.clone(),
                    lead_email: h.lead_email.clone(),
                    assessments: Vec::new(),
                    applied,
                    closed: h.closed,
                    history: Some(Box::new(p.clone())),
                };
                (id.clone(), previous)
            })
            .collect();
        Previous { period: state.period().map(str::to_string), projects, errors: None }
    }
}

/// The most projects read from a previous findings JSON (OS2's portfolio has tens); the
/// rest are left out, so a damaged or crafted file cannot make thousands of reminders.
pub const MAX_PREVIOUS_PROJECTS: usize = 10_000;
/// The most findings read per project: what the JSON lists ([`crate::model::finding::MAX_LISTED_FINDINGS`]).
const MAX_FINDINGS: usize = crate::model::finding::MAX_LISTED_FINDINGS;
/// The most assessments read per project.
const MAX_ASSESSMENTS: usize = 10_000;
/// The longest e-mail address kept (RFC 5321: 254).
const MAX_EMAIL: usize = 320;
/// The most findings and assessments read from one file, over all its projects (each kept
/// item costs memory beyond its bytes in the file; the rest are skipped as they are read).
pub const MAX_PREVIOUS_ITEMS: usize = 200_000;

/// Reads a previous run's findings JSON from a string. `Err` says what is wrong with it.
pub fn read_previous(text: &str) -> Result<Previous, String> {
    read_previous_from(text.as_bytes())
}

/// Reads a previous run's findings JSON, streamed: only what this run uses is kept, each
/// list capped ([`MAX_PREVIOUS_PROJECTS`] projects, the listed findings per project) and
/// each text clipped, so memory is bounded by the caps and the longest single string –
/// not by the file. Unknown fields and values of an unexpected type are ignored.
pub fn read_previous_from(reader: impl std::io::Read) -> Result<Previous, String> {
    wire::ITEMS_LEFT.with(|left| left.set(MAX_PREVIOUS_ITEMS));
    // Only an object is a findings JSON (a struct would also take a list by position).
    let wire::Obj(file): wire::Obj<wire::File> =
        serde_json::from_reader(std::io::BufReader::new(reader)).map_err(|e| e.to_string())?;
    let projects = file.projects.ok_or("the field 'projects' is missing")?;
    let period = file.period.0;
    let errors = file.summary.0.errors.0.filter(|e| *e >= 0.0 && *e <= u32::MAX as f64).map(|e| e as usize);
    let mut out = Previous { period: period.clone(), errors, ..Previous::default() };
    let shown = |s: Option<String>| s.map(|s| crate::text::clip(&s, crate::text::SHOWN_VALUE_CHARS));
    for wire::Obj(p) in projects.0 {
        let key = p.id.0.or_else(|| {
            p.file
                .0
                .map(|f| std::path::Path::new(&f).file_stem().map(|x| x.to_string_lossy().into_owned()).unwrap_or(f))
        });
        // No Projekt-ID or file stem os2gov writes is this long.
        let Some(key) = key.filter(|k| k.chars().count() <= crate::text::MESSAGE_CHARS) else { continue };
        let findings = p
            .findings
            .0
            .into_iter()
            .filter_map(|wire::Obj(f)| {
                let code = shown(f.code.0)?;
                let cell = match (shown(f.sheet.0), shown(f.cell.0)) {
                    (Some(sh), Some(c)) => format!("{sh}!{c}"),
                    (Some(sh), None) => sh,
                    (None, Some(c)) => c,
                    (None, None) => String::new(),
                };
                Some((code, shown(f.requirement.0), cell))
            })
            .collect();
        let (mut assessments, mut applied) = (Vec::new(), Vec::new());
        for wire::Obj(a) in p.assessments.0 {
            let (Some(requirement), Some(light), Some(answer)) = (
                shown(a.requirement.0),
                a.vurdering.0.as_deref().and_then(crate::model::choice::Light::parse),
                shown(a.answer.0),
            ) else {
                continue;
            };
            if let Some(row) = a.register_row.0.filter(|r| *r >= 1.0 && *r <= u32::MAX as f64) {
                applied.push(AppliedBefore {
                    requirement: requirement.clone(),
                    register_row: row as u32,
                    light,
                    answer: answer.clone(),
                });
            }
            assessments.push(EarlierAssessment {
                requirement,
                light,
                rationale: shown(a.grundlag.0),
                answer,
                since: shown(a.since.0),
            });
        }
        out.projects.insert(
            key,
            PreviousProject {
                declared_level: shown(p.declared_level.0),
                attained_level: shown(p.attained_level.0),
                in_force_level: shown(p.in_force_level.0),
                phase: shown(p.phase.0),
                findings,
                period: period.clone(),
                budget: p.economy.0.budget.0,
                economy_since: shown(p.economy.0.problem_since.0),
                name: shown(p.name.0),
                lead: shown(p.lead.0.name.0),
                lead_email: p.lead.0.email.0.filter(|e| e.len() <= MAX_EMAIL),
                assessments,
                applied,
                closed: false,
                history: None,
            },
        );
    }
    Ok(out)
}

/// The findings JSON as read back: only the fields used, each tolerant of a value of
/// another type (read as absent), lists capped while they are read.
mod wire {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    /// A string, or absent when the value is anything else (consumed without keeping it).
    #[derive(Debug, Default)]
    pub struct Str(pub Option<String>);

    /// A number, or absent when the value is anything else.
    #[derive(Debug, Default)]
    pub struct Num(pub Option<f64>);

    /// Any value read as absent (every other JSON type consumed).
    macro_rules! ignore_others {
        () => {
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Default::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Default::default())
            }
        };
    }

    thread_local! {
        /// How many more findings and assessments this thread's current read may keep
        /// ([`super::MAX_PREVIOUS_ITEMS`] for the whole file).
        pub static ITEMS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// At most `N` items of a list (the rest consumed without keeping them); empty when the
    /// value is not a list.
    #[derive(Debug)]
    pub struct Capped<T, const N: usize>(pub Vec<T>);

    /// As [`Capped`], and each item kept also counts against [`ITEMS_LEFT`].
    #[derive(Debug)]
    pub struct Counted<T, const N: usize>(pub Vec<T>);

    impl<T, const N: usize> Default for Counted<T, N> {
        fn default() -> Self {
            Counted(Vec::new())
        }
    }

    impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Counted<T, N> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T, const N: usize>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for V<T, N> {
                type Value = Counted<T, N>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a list")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Counted<T, N>, A::Error> {
                    let mut out = Vec::new();
                    while out.len() < N && ITEMS_LEFT.with(|left| left.get()) > 0 {
                        match seq.next_element::<T>()? {
                            Some(x) => {
                                ITEMS_LEFT.with(|left| left.set(left.get().saturating_sub(1)));
                                out.push(x)
                            }
                            None => return Ok(Counted(out)),
                        }
                    }
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Counted(out))
                }
                fn visit_str<E>(self, _: &str) -> Result<Counted<T, N>, E> {
                    Ok(Counted::default())
                }
                ignore_others!();
            }
            d.deserialize_any(V::<T, N>(PhantomData))
        }
    }

    impl<T, const N: usize> Default for Capped<T, N> {
        fn default() -> Self {
            Capped(Vec::new())
        }
    }

    impl<'de> Deserialize<'de> for Str {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Str;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a string")
                }
                fn visit_str<E>(self, v: &str) -> Result<Str, E> {
                    Ok(Str(Some(v.to_string())))
                }
                fn visit_string<E>(self, v: String) -> Result<Str, E> {
                    Ok(Str(Some(v)))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Str, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Str(None))
                }
                ignore_others!();
            }
            d.deserialize_any(V)
        }
    }

    impl<'de> Deserialize<'de> for Num {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Num;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a number")
                }
                fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                    Ok(Num(Some(v)))
                }
                fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                    Ok(Num(Some(v as f64)))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                    Ok(Num(Some(v as f64)))
                }
                fn visit_bool<E>(self, _: bool) -> Result<Num, E> {
                    Ok(Num(None))
                }
                fn visit_str<E>(self, _: &str) -> Result<Num, E> {
                    Ok(Num(None))
                }
                fn visit_unit<E>(self) -> Result<Num, E> {
                    Ok(Num(None))
                }
                fn visit_none<E>(self) -> Result<Num, E> {
                    Ok(Num(None))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Num, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Num(None))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Num, A::Error> {
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(Num(None))
                }
            }
            d.deserialize_any(V)
        }
    }

    impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Capped<T, N> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T, const N: usize>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for V<T, N> {
                type Value = Capped<T, N>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a list")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Capped<T, N>, A::Error> {
                    let mut out = Vec::new();
                    while out.len() < N {
                        match seq.next_element::<T>()? {
                            Some(x) => out.push(x),
                            None => return Ok(Capped(out)),
                        }
                    }
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Capped(out))
                }
                fn visit_str<E>(self, _: &str) -> Result<Capped<T, N>, E> {
                    Ok(Capped::default())
                }
                ignore_others!();
            }
            d.deserialize_any(V::<T, N>(PhantomData))
        }
    }

    /// An object read into `T`, or `T::default()` when the value is anything else.
    #[derive(Debug, Default)]
    pub struct Obj<T>(pub T);

    impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Obj<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
                type Value = Obj<T>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                    T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Obj)
                }
                fn visit_bool<E>(self, _: bool) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_i64<E>(self, _: i64) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_u64<E>(self, _: u64) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_f64<E>(self, _: f64) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_str<E>(self, _: &str) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_unit<E>(self) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_none<E>(self) -> Result<Obj<T>, E> {
                    Ok(Obj::default())
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj<T>, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Obj::default())
                }
            }
            d.deserialize_any(V::<T>(PhantomData))
        }
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct File {
        pub period: Str,
        /// Absent (`None`) when the field is missing: not a findings JSON.
        pub projects: Option<Capped<Obj<Project>, { super::MAX_PREVIOUS_PROJECTS }>>,
        pub summary: Obj<Summary>,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct Summary {
        pub errors: Num,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct Project {
        pub id: Str,
        pub file: Str,
        pub declared_level: Str,
        pub attained_level: Str,
        pub in_force_level: Str,
        pub phase: Str,
        pub name: Str,
        pub findings: Counted<Obj<Finding>, { super::MAX_FINDINGS }>,
        pub economy: Obj<Economy>,
        pub lead: Obj<Lead>,
        pub assessments: Counted<Obj<Assessment>, { super::MAX_ASSESSMENTS }>,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct Finding {
        pub code: Str,
        pub sheet: Str,
        pub cell: Str,
        pub requirement: Str,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct Economy {
        pub budget: Num,
        pub problem_since: Str,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct Lead {
        pub name: Str,
        pub email: Str,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    pub struct Assessment {
        pub requirement: Str,
        pub vurdering: Str,
        pub grundlag: Str,
        pub answer: Str,
        pub since: Str,
        pub register_row: Num,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_uses_caps_the_lists_and_ignores_the_rest() {
        let findings: Vec<String> = (0..1_200)
            .map(|i| format!(r#"{{"code":"DATA-CVR-INVALID","sheet":"Deltagere","cell":"C{i}","message":"x"}}"#))
            .collect();
        let text = format!(
            r#"{{"tool":"os2gov","period":"2026-10","extra":{{"deep":[1,2,{{"a":null}}]}},"projects":[
                {{"id":"OS2a","name":"{}","declared_level":"N2","phase":7,"economy":{{"budget":1200000,"problem_since":"2026-09"}},
                  "lead":{{"name":"Lis","email":"lis@kommune.example"}},"findings":[{}],
                  "assessments":[{{"requirement":"G5","vurdering":"Gul","answer":"abc","since":"2026-08"}},"junk"]}},
                {{"file":"indsendt/uden-id.xlsx","findings":"not a list","lead":"not an object"}},
                {{"name":"no key"}}
            ]}}"#,
            "n".repeat(10_000),
            findings.join(",")
        );
        let prev = read_previous(&text).unwrap();
        assert_eq!(prev.period.as_deref(), Some("2026-10"));
        assert_eq!(prev.projects.len(), 2, "{:?}", prev.projects.keys());
        let a = &prev.projects["OS2a"];
        assert_eq!(a.findings.len(), crate::model::finding::MAX_LISTED_FINDINGS);
        assert_eq!(a.findings[3], ("DATA-CVR-INVALID".into(), None, "Deltagere!C3".into()));
        assert_eq!(a.name.as_deref().map(|n| n.chars().count()), Some(crate::text::SHOWN_VALUE_CHARS));
        assert_eq!(a.phase, None, "a number where a text belongs is read as absent");
        assert_eq!(a.budget, Some(1_200_000.0));
        assert_eq!(a.economy_since.as_deref(), Some("2026-09"));
        assert_eq!(a.lead_email.as_deref(), Some("lis@kommune.example"));
        assert_eq!(a.assessments.len(), 1);
        let b = &prev.projects["uden-id"];
        assert!(b.findings.is_empty() && b.lead.is_none());
        // Not a findings JSON at all.
        assert!(read_previous(r#"{"period":"2026-10"}"#).is_err());
        assert!(read_previous("[1,2,3]").is_err());
        assert!(read_previous("[1,2]").is_err());
        // The summary's error count, for the history's portfolio point; a value of another
        // type or a negative one is absent.
        assert_eq!(read_previous(r#"{"projects":[],"summary":{"errors":4}}"#).unwrap().errors, Some(4));
        assert_eq!(read_previous(r#"{"projects":[],"summary":{"errors":"4"}}"#).unwrap().errors, None);
        assert_eq!(read_previous(r#"{"projects":[],"summary":{"errors":-1}}"#).unwrap().errors, None);
        assert_eq!(read_previous(r#"{"projects":[]}"#).unwrap().errors, None);
        assert!(read_previous("{").is_err());
    }

    #[test]
    fn findings_over_the_whole_file_are_capped() {
        let one: String =
            (0..MAX_FINDINGS).map(|i| format!(r#"{{"code":"C","cell":"A{i}"}}"#)).collect::<Vec<_>>().join(",");
        let projects: Vec<String> = (0..(MAX_PREVIOUS_ITEMS / MAX_FINDINGS + 3))
            .map(|i| format!(r#"{{"id":"P{i}","findings":[{one}]}}"#))
            .collect();
        let prev = read_previous(&format!(r#"{{"projects":[{}]}}"#, projects.join(","))).unwrap();
        let kept: usize = prev.projects.values().map(|p| p.findings.len()).sum();
        assert_eq!(kept, MAX_PREVIOUS_ITEMS);
        assert_eq!(prev.projects.len(), MAX_PREVIOUS_ITEMS / MAX_FINDINGS + 3, "every project is still read");
    }
}
