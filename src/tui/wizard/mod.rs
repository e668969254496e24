//! The guided wizard: the four steps for one API path, with the inputs the operator picks,
//! the plan made from them, and its diffs. Planning is pure and fast, so every change of an
//! input re-plans at once, inside `update`. Applying (`apply`) goes through the confirm
//! dialog; nothing here writes to the account itself.

pub mod apply;
pub mod keys;
pub mod picker;
pub mod typing;

use crate::model::Posture;
use crate::plan::{self, CallerSuggestion, DiffLine, Inputs, Plan, StepPlan};
use crate::steps::Control;

pub use picker::{Item, Offer, Offers, Row, Section};
pub use typing::{Notice, Typing};

/// Which pane of the wizard the keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The side list of the four steps.
    Steps,
    /// The inputs of the current step (toggled with Space).
    Inputs,
    /// The diff, checks and live settings of the current step (scrolled).
    Review,
}

impl Pane {
    pub fn right(self) -> Self {
        match self {
            Self::Steps => Self::Inputs,
            Self::Inputs | Self::Review => Self::Review,
        }
    }

    pub fn left(self) -> Self {
        match self {
            Self::Review => Self::Inputs,
            Self::Inputs | Self::Steps => Self::Steps,
        }
    }
}

/// The wizard for one API.
#[derive(Debug, Clone)]
pub struct Wizard {
    pub api_id: String,
    pub step: Control,
    pub pane: Pane,
    /// What is chosen: the one record the pickers read and write.
    pub inputs: Inputs,
    /// What can be chosen.
    pub offers: Offers,
    /// The instances found in the endpoints' VPCs, most likely callers first.
    pub suggestions: Vec<CallerSuggestion>,
    /// The position among the current step's choices.
    pub cursor: usize,
    /// The plan of the four steps for the current inputs.
    pub plan: Plan,
    /// The diff of each step of `plan`, in the same order.
    pub diffs: Vec<Vec<DiffLine>>,
    /// What the inputs check says: warnings, or what is wrong.
    pub check: Result<Vec<String>, String>,
    /// The first line of the review pane shown.
    pub scroll: u16,
    /// The value being typed in (`a`), if any.
    pub typing: Option<Typing>,
    /// What the last typed value did (shown until the next key).
    pub notice: Option<Notice>,
    /// The choices the operator typed in, offered again after a refresh.
    pub typed: Vec<Offer>,
    /// When the plan was made (the time of the scan it was made from).
    created_at: String,
}

impl Wizard {
    /// The wizard for an API of the posture, its inputs inferred; `None` if there is no such API.
    pub fn open(posture: &Posture, api_id: &str, created_at: &str) -> Option<Self> {
        let api = posture.api(api_id)?;
        let inputs = Inputs::infer(posture, std::slice::from_ref(&api.id), &[]);
        let (offers, suggestions) = offers(posture, api_id);
        let mut wizard = Self {
            api_id: api.id.clone(),
            step: Control::IamAuth,
            pane: Pane::Steps,
            plan: plan::build(posture, &inputs, &Control::ALL, created_at),
            inputs,
            offers,
            suggestions,
            cursor: 0,
            diffs: Vec::new(),
            check: Ok(Vec::new()),
            scroll: 0,
            typing: None,
            notice: None,
            typed: Vec::new(),
            created_at: created_at.to_string(),
        };
        wizard.replan(posture);
        Some(wizard)
    }

    /// Plan again from the current inputs (after a choice changed).
    pub fn replan(&mut self, posture: &Posture) {
        self.plan = plan::build(posture, &self.inputs, &Control::ALL, &self.created_at);
        self.diffs = self
            .plan
            .steps
            .iter()
            .map(|s| plan::step_diff(posture, s))
            .collect();
        self.check = self
            .inputs
            .validate(posture)
            .map(|warnings| {
                warnings
                    .iter()
                    .map(|w| typing::in_wizard_words(w))
                    .collect()
            })
            .map_err(|e| typing::in_wizard(&e));
    }

    /// The same wizard on a newer posture (after a refresh): the choices are kept where the
    /// things chosen still exist (or were typed in), the offers and the plan are made again.
    /// `None` when the API is gone.
    pub fn rebase(&self, posture: &Posture, created_at: &str) -> Option<Self> {
        let mut fresh = Self::open(posture, &self.api_id, created_at)?;
        for offer in &self.typed {
            fresh.offers.push(offer.clone());
        }
        fresh.typed = self.typed.clone();
        fresh.typing = self.typing.clone();
        let offered = |item: &Item| fresh.offers.offers.iter().any(|o| &o.item == item);
        let keep = |list: &[String], wrap: fn(String) -> Item| -> Vec<String> {
            list.iter()
                .filter(|v| offered(&wrap((*v).clone())))
                .cloned()
                .collect()
        };
        let inputs = Inputs {
            caller_roles: keep(&self.inputs.caller_roles, Item::Role),
            caller_groups: keep(&self.inputs.caller_groups, Item::Group),
            endpoint_ids: keep(&self.inputs.endpoint_ids, Item::Endpoint),
            excluded_apis: keep(&self.inputs.excluded_apis, Item::OtherApi),
            methods: self.inputs.methods.as_ref().map(|chosen| {
                chosen
                    .iter()
                    .filter(|k| {
                        fresh
                            .offers
                            .offers
                            .iter()
                            .any(|o| matches!(&o.item, Item::Method { key, .. } if key == *k))
                    })
                    .cloned()
                    .collect()
            }),
            ..fresh.inputs.clone()
        };
        fresh.inputs = inputs;
        fresh.step = self.step;
        fresh.pane = self.pane;
        fresh.cursor = self.cursor.min(fresh.choice_count().saturating_sub(1));
        fresh.scroll = self.scroll;
        fresh.replan(posture);
        Some(fresh)
    }

    /// When the plan was made (the time of the scan it was made from, RFC 3339).
    pub fn created_at(&self) -> &str {
        &self.created_at
    }

    /// The plan of the current step.
    pub fn current(&self) -> Option<&StepPlan> {
        self.step_plan(self.step)
    }

    pub fn step_plan(&self, control: Control) -> Option<&StepPlan> {
        self.plan.steps.iter().find(|s| s.control == control)
    }

    /// The diff lines of the current step.
    pub fn current_diff(&self) -> &[DiffLine] {
        self.plan
            .steps
            .iter()
            .position(|s| s.control == self.step)
            .and_then(|i| self.diffs.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The position of the current step (0 to 3).
    pub fn step_index(&self) -> usize {
        Control::ALL
            .iter()
            .position(|c| *c == self.step)
            .unwrap_or(0)
    }

    /// Go to a step. The cursor stays on the same choice when the step offers it too (the
    /// inputs are shared), else it starts at the top; the review starts at its top.
    pub fn go_to(&mut self, step: Control) {
        if step != self.step {
            let item = self.choice().map(|o| o.item.clone());
            self.step = step;
            self.cursor = item
                .and_then(|item| {
                    self.offers
                        .choices(step)
                        .iter()
                        .position(|o| o.item == item)
                })
                .unwrap_or(0);
            self.scroll = 0;
        }
    }

    /// How many choices the current step offers.
    pub fn choice_count(&self) -> usize {
        self.offers.choices(self.step).len()
    }

    /// The choice under the cursor.
    pub fn choice(&self) -> Option<&Offer> {
        self.offers.choices(self.step).get(self.cursor).copied()
    }

    /// Turn the choice under the cursor on or off, and plan again.
    pub fn toggle(&mut self, posture: &Posture) {
        let Some(item) = self.choice().map(|o| o.item.clone()) else {
            return;
        };
        self.offers.toggle(&item, &mut self.inputs);
        self.replan(posture);
    }
}

/// What the wizard offers for an API: its endpoints, methods and neighbours, and the roles
/// and groups of the instances that may call it.
fn offers(posture: &Posture, api_id: &str) -> (Offers, Vec<CallerSuggestion>) {
    let Some(api) = posture.api(api_id) else {
        return (Offers::default(), Vec::new());
    };
    let mut offers = Offers::of_api(posture, api);
    let endpoint_ids: Vec<String> = posture.endpoints_of(api).map(|e| e.id.clone()).collect();
    let suggestions = plan::suggest_callers(posture, &endpoint_ids);
    for s in &suggestions {
        if let Some(role) = &s.role_arn {
            offers.push(Offer {
                item: Item::Role(role.clone()),
                label: role.rsplit('/').next().unwrap_or(role).to_string(),
                note: s.label().to_string(),
            });
        }
    }
    for s in &suggestions {
        for g in &s.group_ids {
            let name = posture
                .security_group(g)
                .map(|sg| sg.name.clone())
                .filter(|n| !n.is_empty() && n != s.label());
            offers.push(Offer {
                item: Item::Group(g.clone()),
                label: g.clone(),
                note: match name {
                    Some(n) => format!("{n}, {}", s.label()),
                    None => s.label().to_string(),
                },
            });
        }
    }
    (offers, suggestions)
}
