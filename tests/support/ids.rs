//! The map from the sandbox fixture's ids to the ids moto gave the same things.

use std::collections::BTreeMap;

use serde_json::Value;
use ztharden::model::Posture;

/// Fixture id -> moto id, as printed by `tests/support/seed_moto.py`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdMap {
    to_moto: BTreeMap<String, String>,
}

impl IdMap {
    pub fn new(to_moto: BTreeMap<String, String>) -> Self {
        Self { to_moto }
    }

    /// Parses the seeder's output.
    pub fn from_json(text: &str) -> Self {
        let to_moto = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("the seeder printed no id map ({e}):\n{text}"));
        Self { to_moto }
    }

    /// Moto's id for a fixture id; panics with the known ids when there is none.
    pub fn moto(&self, fixture_id: &str) -> &str {
        self.to_moto
            .get(fixture_id)
            .map(String::as_str)
            .unwrap_or_else(|| {
                panic!(
                    "no moto id for fixture id {fixture_id}; known: {:?}",
                    self.to_moto.keys()
                )
            })
    }

    /// Moto's id for a fixture id, if the fixture has it.
    pub fn get(&self, fixture_id: &str) -> Option<&str> {
        self.to_moto.get(fixture_id).map(String::as_str)
    }

    /// The fixture id that moto's id stands for.
    pub fn fixture(&self, moto_id: &str) -> Option<&str> {
        self.to_moto
            .iter()
            .find(|(_, m)| m.as_str() == moto_id)
            .map(|(f, _)| f.as_str())
    }

    pub fn len(&self) -> usize {
        self.to_moto.len()
    }

    pub fn is_empty(&self) -> bool {
        self.to_moto.is_empty()
    }

    /// `posture` (read from moto) with moto's ids replaced by the fixture's, everywhere:
    /// ids, ARNs, and the policy documents that name them.
    pub fn to_fixture_ids(&self, posture: &Posture) -> Posture {
        let pairs: Vec<(&str, &str)> = self
            .to_moto
            .iter()
            .map(|(f, m)| (m.as_str(), f.as_str()))
            .collect();
        translate(posture, pairs)
    }

    /// `posture` (the fixture's) with its ids replaced by moto's.
    pub fn to_moto_ids(&self, posture: &Posture) -> Posture {
        let pairs: Vec<(&str, &str)> = self
            .to_moto
            .iter()
            .map(|(f, m)| (f.as_str(), m.as_str()))
            .collect();
        translate(posture, pairs)
    }
}

fn translate(posture: &Posture, mut pairs: Vec<(&str, &str)>) -> Posture {
    // Longest first, so an id that contains another is replaced whole.
    pairs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    let mut value = serde_json::to_value(posture).expect("a posture serialises");
    replace_in(&mut value, &pairs);
    serde_json::from_value(value).expect("a translated posture deserialises")
}

fn replace_in(value: &mut Value, pairs: &[(&str, &str)]) {
    match value {
        Value::String(s) => {
            for (from, to) in pairs {
                if s.contains(from) {
                    *s = s.replace(from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_in(v, pairs)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_in(v, pairs)),
        _ => {}
    }
}
