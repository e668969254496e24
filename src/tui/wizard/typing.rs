//! Typing a caller or an endpoint into the wizard: a role ARN, a security group id or a VPC
//! endpoint id, told apart by its prefix. The value is checked with [`Inputs::validate`] on
//! a copy of the inputs; a refused value changes nothing and says what to do.

use super::{Item, Offer, Wizard, picker};
use crate::model::Posture;
use crate::plan::InputError;

/// The one-line field being typed (`a` opens it, `Enter` adds, `Esc` cancels).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typing {
    pub text: String,
    /// Why the value last entered was refused, and what to do.
    pub error: Option<String>,
}

/// What the wizard says once a typed value is in: what was added, and its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub warnings: Vec<String>,
}

/// What a typed value is, by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Role,
    Group,
    Endpoint,
}

impl Kind {
    pub fn of(value: &str) -> Option<Kind> {
        if value.starts_with("arn:") {
            Some(Kind::Role)
        } else if value.starts_with("sg-") {
            Some(Kind::Group)
        } else if value.starts_with("vpce-") {
            Some(Kind::Endpoint)
        } else {
            None
        }
    }

    fn item(self, value: &str) -> Item {
        let value = value.to_string();
        match self {
            Kind::Role => Item::Role(value),
            Kind::Group => Item::Group(value),
            Kind::Endpoint => Item::Endpoint(value),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Role => "caller role",
            Kind::Group => "caller group",
            Kind::Endpoint => "endpoint",
        }
    }
}

/// An input error in the wizard's words: the CLI's flags mean nothing here.
pub fn in_wizard(error: &InputError) -> String {
    match error {
        InputError::NoCallerRole { apis } => format!(
            "no caller role for the private API path of {apis}: select a suggested role, or \
             add one (a); without a caller the policies would admit nobody"
        ),
        other => in_wizard_words(&other.to_string()),
    }
}

/// The CLI's advice about its caller flags, as the wizard's keys (for warnings and notes).
pub fn in_wizard_words(text: &str) -> String {
    const PHRASES: [(&str, &str); 5] = [
        (
            "pass --caller-role and --caller-sg",
            "select or add (a) a caller role and group",
        ),
        ("pass --caller-sg", "select or add (a) a caller group"),
        ("give it with --caller-role", "add it (a)"),
        ("give its group with --caller-sg", "add its group (a)"),
        ("add their groups with --caller-sg", "add their groups (a)"),
    ];
    PHRASES
        .iter()
        .fold(text.to_string(), |text, (cli, wizard)| {
            text.replace(cli, wizard)
        })
}

impl Wizard {
    /// Add a typed role ARN, `sg-` or `vpce-` id to the inputs, selected, and plan again.
    /// `Err` says what is wrong with it, and nothing changes.
    pub fn add_typed(&mut self, posture: &Posture, text: &str) -> Result<Notice, String> {
        let value = text.trim();
        let partition = posture.region.partition();
        let account = &posture.account;
        let Some(kind) = Kind::of(value) else {
            let what = if value.is_empty() {
                "nothing typed".to_string()
            } else {
                format!("'{value}' is not a role ARN, a security group id or a VPC endpoint id")
            };
            return Err(format!(
                "{what}: type arn:{partition}:iam::{account}:role/NAME, sg-… or vpce-… (Esc cancels)"
            ));
        };
        let item = kind.item(value);
        let mut inputs = self.inputs.clone();
        if !picker::is_selected(&item, &inputs) {
            self.offers.toggle(&item, &mut inputs);
        }
        let warnings = match (inputs.validate(posture), self.inputs.validate(posture)) {
            (Ok(after), before) => {
                let before = before.unwrap_or_default();
                after.into_iter().filter(|w| !before.contains(w)).collect()
            }
            // The inputs were refused before, for the same reason: not this value's fault.
            (Err(after), Err(before)) if after == before => vec![format!(
                "the inputs still cannot be planned with: {}",
                in_wizard(&after)
            )],
            (Err(after), _) => return Err(in_wizard(&after)),
        };
        let offer = offer(posture, kind, value);
        let new = !self.offers.offers.iter().any(|o| o.item == item);
        if new {
            self.offers.push(offer.clone());
            self.typed.push(offer);
        }
        self.inputs = inputs;
        self.replan(posture);
        if let Some(index) = self.choices_index(&item) {
            self.cursor = index;
            self.pane = super::Pane::Inputs;
        }
        let text = if new {
            format!(
                "added {} {value}, selected: the steps are planned again",
                kind.noun()
            )
        } else {
            format!("{} {value} is offered already: selected", kind.noun())
        };
        Ok(Notice {
            text,
            warnings: warnings.iter().map(|w| in_wizard_words(w)).collect(),
        })
    }

    /// The position of a choice among the current step's.
    fn choices_index(&self, item: &Item) -> Option<usize> {
        self.offers
            .choices(self.step)
            .iter()
            .position(|o| &o.item == item)
    }
}

/// The row of a typed value: a role by its name, a group or an endpoint by its id, with
/// what the posture knows of it.
fn offer(posture: &Posture, kind: Kind, value: &str) -> Offer {
    let (label, known) = match kind {
        Kind::Role => (
            value.rsplit('/').next().unwrap_or(value).to_string(),
            String::new(),
        ),
        Kind::Group => (
            value.to_string(),
            posture
                .security_group(value)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
        ),
        Kind::Endpoint => (
            value.to_string(),
            posture
                .endpoint(value)
                .map(|e| e.vpc_id.clone())
                .unwrap_or_default(),
        ),
    };
    let note = if known.is_empty() {
        "typed".to_string()
    } else {
        format!("{known}, typed")
    };
    Offer {
        item: kind.item(value),
        label,
        note,
    }
}
