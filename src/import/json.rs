//! Reads the self-evaluation form's JSON export (one file per submission):
//! `productName`, `filledBy`, `filledDate` and `krav[]` with `id`, `kategori`, `krav`,
//! `produktniveau`, `efterlevet` ("Ja", "Nej", "Ved ikke", "Ikke relevant" or null) and
//! `dokumentation`. Unknown keys are ignored (the form adds e.g. `generatedAt`); keys are
//! matched without regard to case, and a bare list of requirement objects is accepted.

use super::clean;
use crate::import::source::{EXPECTED_DA, EXPECTED_EN, Form, NotImported, SourceAnswer, SourceReport, SourceRow};
use crate::text::t;
use serde_json::{Map, Value};

/// A string field by any of its spellings, case-insensitively; numbers become text.
fn field(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    obj.iter().find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n))).and_then(|(_, v)| match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str().map(str::trim))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    })
}

fn efterlevet(obj: &Map<String, Value>) -> SourceAnswer {
    let value = obj.iter().find(|(k, _)| ["efterlevet", "status", "answer"].iter().any(|n| k.eq_ignore_ascii_case(n)));
    match value.map(|(_, v)| v) {
        None | Some(Value::Null) => SourceAnswer::Blank,
        Some(Value::Bool(true)) => SourceAnswer::Given(crate::model::choice::Answer::Ja),
        Some(Value::Bool(false)) => SourceAnswer::Given(crate::model::choice::Answer::Nej),
        Some(Value::String(s)) => clean::answer(s),
        Some(other) => SourceAnswer::Unknown(other.to_string()),
    }
}

/// Reads the JSON text of one submission.
pub fn read(text: &str) -> Result<SourceReport, NotImported> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let (line, col, why) = (e.line(), e.column(), e.to_string());
        NotImported(t!(
            "filen ligner JSON, men kan ikke læses (linje {line}, kolonne {col}: {why}). {EXPECTED_DA}",
            "the file looks like JSON but cannot be read (line {line}, column {col}: {why}). {EXPECTED_EN}"
        ))
    })?;
    let empty = Map::new();
    let (top, list) = match &value {
        Value::Object(obj) => {
            let list = obj.iter().find(|(k, _)| ["krav", "requirements"].iter().any(|n| k.eq_ignore_ascii_case(n)));
            (obj, list.and_then(|(_, v)| v.as_array()))
        }
        Value::Array(items) => (&empty, Some(items)),
        _ => (&empty, None),
    };
    let Some(list) = list else {
        return Err(NotImported(t!(
            "filen er JSON, men har ingen liste 'krav'. {EXPECTED_DA}",
            "the file is JSON but has no list 'krav'. {EXPECTED_EN}"
        )));
    };
    if list.len() > super::source::MAX_SOURCE_ROWS {
        return Err(super::source::too_many_rows(list.len()));
    }
    let mut report = SourceReport {
        form: Some(Form::Json),
        product_name: field(top, &["productName", "produktnavn", "product", "produkt", "navn", "name"]),
        filled_by: field(top, &["filledBy", "udfyldtAf", "udfyldt_af"]),
        filled_date: field(top, &["filledDate", "udfyldtDato", "udfyldt_dato", "dato", "date"]),
        repository: field(top, &["repository", "repo", "github", "gitOrganisation", "linkTilGitOrganisation"]),
        licence: field(top, &["licens", "license", "licence"]),
        ..SourceReport::default()
    };
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let Some(obj) = item.as_object() else {
            report.notes.push(t!(
                "krav[{n}] er ikke et objekt og er ikke læst.",
                "krav[{n}] is not an object and was not read."
            ));
            continue;
        };
        let id_raw = field(obj, &["id", "kravId", "nr"]).unwrap_or_default();
        let text_raw = field(obj, &["krav", "tekst", "text", "requirement"]).unwrap_or_default();
        if id_raw.is_empty() && text_raw.is_empty() {
            report.notes.push(t!(
                "krav[{n}] har hverken id eller krav og er ikke læst.",
                "krav[{n}] has neither id nor krav and was not read."
            ));
            continue;
        }
        let documentation =
            clean::cell_text(&field(obj, &["dokumentation", "documentation", "henvisning"]).unwrap_or_default());
        let (documentation, explanation_in_doc) = super::markdown::split_explanation(&documentation);
        let explanation =
            field(obj, &["forklaring", "explanation"]).map(|e| clean::cell_text(&e)).unwrap_or(explanation_in_doc);
        let (documentation, placeholder) = clean::without_template_text(&documentation);
        report.rows.push(SourceRow {
            id: clean::requirement_id(&id_raw).unwrap_or_else(|| clean::cell_text(&id_raw)),
            text: clean::cell_text(&text_raw),
            theme: field(obj, &["kategori", "tema", "category"]),
            recommendation: clean::is_recommendation(&text_raw),
            answer: efterlevet(obj),
            documentation,
            explanation,
            placeholder,
            line: n,
        });
    }
    if report.rows.is_empty() {
        return Err(NotImported(t!(
            "filen er JSON, men listen 'krav' er tom. {EXPECTED_DA}",
            "the file is JSON but the list 'krav' is empty. {EXPECTED_EN}"
        )));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::choice::Answer;

    #[test]
    fn a_submission_with_unknown_keys_nulls_and_every_answer() {
        let text = r#"{"productName":"OS2demo","filledBy":"Rasmus, OS2","filledDate":"2026-05-01","generatedAt":"2026-05-01T20:26:06Z","extra":{"a":1},
          "krav":[{"id":"R1","kategori":"relevans","krav":"Løsningen skaber lokal værdi","produktniveau":"sandkasse","efterlevet":"Ja","dokumentation":"Se https://os2.eu","nyt":true},
                  {"id":"R4","kategori":"relevans","krav":"Ophæng til nationale strategier","efterlevet":"Ved ikke","dokumentation":""},
                  {"id":"F6","krav":"Kildekoden er overdraget","efterlevet":null,"dokumentation":""},
                  {"id":"G5","krav":"Bestyrelsen har godkendt produktet","efterlevet":"Nej","dokumentation":"Ikke formelt godkendt."},
                  {"id":"G14","krav":"Fagligt fællesskab","efterlevet":"Ikke relevant"},
                  {"id":"G9","krav":"Review","efterlevet":"Delvist","dokumentation":"[Ikke udfyldt]"}]}"#;
        let r = read(text).unwrap();
        assert_eq!(r.form, Some(Form::Json));
        assert_eq!(
            (r.product_name.as_deref(), r.filled_by.as_deref(), r.filled_date.as_deref()),
            (Some("OS2demo"), Some("Rasmus, OS2"), Some("2026-05-01"))
        );
        let answers: Vec<_> = r.rows.iter().map(|r| r.answer.clone()).collect();
        assert_eq!(
            answers,
            [
                SourceAnswer::Given(Answer::Ja),
                SourceAnswer::Given(Answer::VedIkke),
                SourceAnswer::Blank,
                SourceAnswer::Given(Answer::Nej),
                SourceAnswer::Given(Answer::IkkeRelevant),
                SourceAnswer::Word {
                    word: "Delvist".into(),
                    answer: Answer::Nej,
                    rule: crate::import::source::WordRule::NotYet
                },
            ]
        );
        assert_eq!(r.rows[0].theme.as_deref(), Some("relevans"));
        assert_eq!(r.rows[3].documentation, "Ikke formelt godkendt.");
        assert_eq!(r.rows[5].placeholder.as_deref(), Some("[Ikke udfyldt]"));
    }

    #[test]
    fn pretty_printed_with_a_bom_and_a_bare_list() {
        let (text, _) = clean::decode(
            b"\xEF\xBB\xBF[\r\n  {\"ID\": \"g3\", \"Krav\": \"Projektleder\", \"Efterlevet\": \"ja\"}\r\n]",
        )
        .unwrap();
        let r = read(&text).unwrap();
        assert_eq!((r.rows[0].id.as_str(), r.rows[0].answer.clone()), ("G3", SourceAnswer::Given(Answer::Ja)));
    }

    #[test]
    fn json_that_is_not_the_form_says_what_was_expected() {
        assert!(read("{\"name\": \"x\"}").unwrap_err().0.da.contains("ingen liste 'krav'"));
        assert!(read("{\"krav\": []}").unwrap_err().0.en.contains("is empty"));
        let e = read("{\"krav\": [ {\"id\": \"R1\",, } ]}").unwrap_err();
        assert!(e.0.en.contains("line 1") && e.0.en.contains("self-evaluation form"), "{:?}", e.0);
    }
}
