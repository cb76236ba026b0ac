//! What to fill into a projektark, by the layout's field keys and table columns: the data
//! `render::projektark` writes (the blank template is `Filled::default()`), made by
//! `import` and by the fixtures for samples and tests. Plain data.

use crate::model::cell::Value;
use crate::model::layout::FieldKey;

/// One filled-in requirement row.
#[derive(Clone, Debug, Default)]
pub struct KravAnswer {
    pub id: String,
    pub efterlevet: Value,
    pub dokumentation: Value,
    pub forklaring: Value,
    pub vurdering: Value,
    pub grundlag: Value,
}

/// What to fill into a projektark. `Filled::default()` is the blank template.
#[derive(Clone, Debug, Default)]
pub struct Filled {
    pub fields: Vec<(FieldKey, Value)>,
    pub answers: Vec<KravAnswer>,
    /// Requirement IDs whose rows are left out.
    pub omit: Vec<String>,
    /// Extra Krav rows, e.g. a requirement the model does not know: values in the order of
    /// [`crate::model::layout::KRAV_COLS_2025`] (written under the same headers wherever the
    /// template puts them).
    pub extra_requirements: Vec<Vec<Value>>,
    pub history: Vec<Vec<Value>>,
    pub participants: Vec<Vec<Value>>,
    pub status: Vec<Vec<Value>>,
    /// Budgetændringer rows (Dato, Fra, Til, Besluttet af, Reference, Begrundelse).
    pub budget_changes: Vec<Vec<Value>>,
    /// Drift rows (Dato, SLA-mål, Målt, Åbne ændringsønsker, Arkitekturændringer, Bemærkning).
    pub operations: Vec<Vec<Value>>,
}

impl Filled {
    pub fn field(&self, key: FieldKey) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}
