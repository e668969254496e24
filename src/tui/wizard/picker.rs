//! The wizard's pickers: what the operator can choose for a step, and whether each choice is
//! on. The plan's [`Inputs`] are the one record of what is chosen; the offers are the rows.

use crate::model::{AuthorizationType, Posture, RestApi};
use crate::plan::{Inputs, MethodKey};
use crate::steps::Control;

/// What a row of a picker stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A caller's role ARN (`Inputs::caller_roles`).
    Role(String),
    /// A caller's security group (`Inputs::caller_groups`).
    Group(String),
    /// A VPC endpoint the callers come through (`Inputs::endpoint_ids`).
    Endpoint(String),
    /// A method to sign (`Inputs::methods`); `default_on` when the planners' default picks it.
    Method { key: MethodKey, default_on: bool },
    /// Another API behind the endpoints, kept in the endpoint policy unless taken out
    /// (`Inputs::excluded_apis`).
    OtherApi(String),
}

/// One choice offered, with what people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub item: Item,
    /// The short text of the row.
    pub label: String,
    /// A hint after the label (who uses a role, what a method is now).
    pub note: String,
}

/// A group of offers under a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Methods,
    OtherApis,
    Roles,
    Groups,
    Endpoints,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Self::Methods => "METHODS TO SIGN",
            Self::OtherApis => "OTHER APIS VIA THE ENDPOINT",
            Self::Roles => "CALLER ROLES",
            Self::Groups => "CALLER GROUPS",
            Self::Endpoints => "ENDPOINTS",
        }
    }

    /// The sections a step shows: its own first, then the inputs every step shares.
    pub fn of(step: Control) -> &'static [Section] {
        use Section::*;
        match step {
            Control::IamAuth => &[Methods, Roles, Groups, Endpoints],
            Control::EndpointPolicy => &[OtherApis, Roles, Groups, Endpoints],
            Control::ResourcePolicy | Control::EndpointSg => &[Roles, Groups, Endpoints],
        }
    }

    fn holds(self, item: &Item) -> bool {
        matches!(
            (self, item),
            (Self::Methods, Item::Method { .. })
                | (Self::OtherApis, Item::OtherApi(_))
                | (Self::Roles, Item::Role(_))
                | (Self::Groups, Item::Group(_))
                | (Self::Endpoints, Item::Endpoint(_))
        )
    }
}

/// Every choice the wizard offers for one API, in the order shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offers {
    pub offers: Vec<Offer>,
}

/// A row of a step's picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row<'a> {
    Heading(Section),
    /// A section with nothing to choose, and why.
    Empty(&'static str),
    Choice {
        offer: &'a Offer,
        selected: bool,
        /// The position among the step's choices (what the cursor counts).
        index: usize,
    },
}

impl Offers {
    /// The endpoints, methods and other APIs of an API. Callers are added with [`Offers::push`].
    pub fn of_api(posture: &Posture, api: &RestApi) -> Self {
        let mut offers = Vec::new();
        for e in posture.endpoints_of(api) {
            offers.push(Offer {
                item: Item::Endpoint(e.id.clone()),
                label: e.id.clone(),
                note: String::new(),
            });
        }
        for (resource, method) in api.methods() {
            if method.authorization_type == AuthorizationType::AwsIam {
                continue;
            }
            let default_on = method.authorization_type == AuthorizationType::None
                && method.http_method != "OPTIONS";
            let note = match &method.authorization_type {
                AuthorizationType::None if !default_on => "preflight".to_string(),
                other => other.as_str().to_string(),
            };
            offers.push(Offer {
                item: Item::Method {
                    key: MethodKey {
                        api_id: api.id.clone(),
                        resource_id: resource.id.clone(),
                        path: resource.path.clone(),
                        http_method: method.http_method.clone(),
                    },
                    default_on,
                },
                label: format!("{} {}", method.http_method, resource.path),
                note,
            });
        }
        let mut others: Vec<&RestApi> = posture
            .endpoints_of(api)
            .flat_map(|e| posture.apis_behind(&e.id))
            .filter(|a| a.id != api.id)
            .collect();
        others.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        others.dedup_by(|a, b| a.id == b.id);
        for other in others {
            offers.push(Offer {
                item: Item::OtherApi(other.id.clone()),
                label: other.name.clone(),
                note: other.id.clone(),
            });
        }
        Self { offers }
    }

    /// Offer one more choice, unless it is offered already.
    pub fn push(&mut self, offer: Offer) {
        if !self.offers.iter().any(|o| o.item == offer.item) {
            self.offers.push(offer);
        }
    }

    /// The rows of a step's picker, headings included.
    pub fn rows(&self, step: Control, inputs: &Inputs) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        let mut index = 0;
        for &section in Section::of(step) {
            rows.push(Row::Heading(section));
            let before = rows.len();
            for offer in self.offers.iter().filter(|o| section.holds(&o.item)) {
                rows.push(Row::Choice {
                    offer,
                    selected: is_selected(&offer.item, inputs),
                    index,
                });
                index += 1;
            }
            if rows.len() == before {
                rows.push(Row::Empty(match section {
                    Section::Methods => "none left to sign",
                    Section::OtherApis => "none: only this API",
                    Section::Roles | Section::Groups => "none found",
                    Section::Endpoints => "none attached",
                }));
            }
        }
        rows
    }

    /// The choices of a step, in the order the cursor moves through them.
    pub fn choices(&self, step: Control) -> Vec<&Offer> {
        Section::of(step)
            .iter()
            .flat_map(|s| self.offers.iter().filter(move |o| s.holds(&o.item)))
            .collect()
    }

    /// Turn one choice on or off in the inputs.
    pub fn toggle(&self, item: &Item, inputs: &mut Inputs) {
        let on = !is_selected(item, inputs);
        match item {
            Item::Role(arn) => set(&mut inputs.caller_roles, arn, on),
            Item::Group(id) => set(&mut inputs.caller_groups, id, on),
            Item::Endpoint(id) => set(&mut inputs.endpoint_ids, id, on),
            Item::OtherApi(id) => set(&mut inputs.excluded_apis, id, !on),
            Item::Method { key, .. } => {
                let defaults: Vec<MethodKey> = self
                    .offers
                    .iter()
                    .filter_map(|o| match &o.item {
                        Item::Method {
                            key,
                            default_on: true,
                        } => Some(key.clone()),
                        _ => None,
                    })
                    .collect();
                let mut chosen = inputs.methods.take().unwrap_or_else(|| defaults.clone());
                if on {
                    chosen.push(key.clone());
                } else {
                    chosen.retain(|k| k != key);
                }
                // Keep the offered order, so that "back to the default" reads as the default.
                let order = |k: &MethodKey| {
                    self.offers
                        .iter()
                        .position(|o| matches!(&o.item, Item::Method { key, .. } if key == k))
                };
                chosen.sort_by_key(|k| order(k));
                inputs.methods = (chosen != defaults).then_some(chosen);
            }
        }
    }
}

/// Whether a choice is on in these inputs.
pub fn is_selected(item: &Item, inputs: &Inputs) -> bool {
    match item {
        Item::Role(arn) => inputs.caller_roles.contains(arn),
        Item::Group(id) => inputs.caller_groups.contains(id),
        Item::Endpoint(id) => inputs.endpoint_ids.contains(id),
        Item::OtherApi(id) => !inputs.excluded_apis.contains(id),
        Item::Method { key, default_on } => match &inputs.methods {
            None => *default_on,
            Some(chosen) => chosen.contains(key),
        },
    }
}

fn set(list: &mut Vec<String>, value: &str, on: bool) {
    if on {
        if !list.iter().any(|v| v == value) {
            list.push(value.to_string());
        }
    } else {
        list.retain(|v| v != value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sandbox::SandboxCloud;

    fn orders() -> (Posture, Offers) {
        let posture = SandboxCloud::lab_posture();
        let offers = Offers::of_api(&posture, posture.api("a1b2c3d4e5").unwrap());
        (posture, offers)
    }

    fn labels(offers: &Offers, step: Control) -> Vec<String> {
        offers
            .choices(step)
            .iter()
            .map(|o| o.label.clone())
            .collect()
    }

    #[test]
    fn orders_offers_its_endpoint_its_unsigned_methods_and_the_api_sharing_the_endpoint() {
        let (_, offers) = orders();
        assert_eq!(
            labels(&offers, Control::IamAuth),
            [
                "GET /orders",
                "OPTIONS /orders",
                "POST /orders",
                "DELETE /orders/{id}",
                "GET /orders/{id}",
                "OPTIONS /orders/{id}",
                "PUT /orders/{id}",
                "vpce-0e9e9e9e9e9e9e9e9",
            ]
        );
        assert_eq!(
            labels(&offers, Control::EndpointPolicy),
            ["inventory", "vpce-0e9e9e9e9e9e9e9e9"]
        );
        assert_eq!(
            labels(&offers, Control::EndpointSg),
            ["vpce-0e9e9e9e9e9e9e9e9"]
        );
    }

    #[test]
    fn methods_default_to_every_unsigned_one_but_cors_preflight() {
        let (_, offers) = orders();
        let inputs = Inputs::default();
        let on: Vec<String> = offers
            .rows(Control::IamAuth, &inputs)
            .into_iter()
            .filter_map(|r| match r {
                Row::Choice {
                    offer,
                    selected: true,
                    ..
                } if matches!(offer.item, Item::Method { .. }) => Some(offer.label.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            on,
            [
                "GET /orders",
                "POST /orders",
                "DELETE /orders/{id}",
                "GET /orders/{id}",
                "PUT /orders/{id}"
            ]
        );
    }

    #[test]
    fn toggling_a_method_lists_the_choice_and_toggling_back_restores_the_default() {
        let (_, offers) = orders();
        let mut inputs = Inputs::default();
        let post = offers
            .choices(Control::IamAuth)
            .into_iter()
            .find(|o| o.label == "POST /orders")
            .unwrap()
            .item
            .clone();
        offers.toggle(&post, &mut inputs);
        let chosen: Vec<String> = inputs
            .methods
            .as_ref()
            .unwrap()
            .iter()
            .map(|k| format!("{} {}", k.http_method, k.path))
            .collect();
        assert_eq!(
            chosen,
            [
                "GET /orders",
                "DELETE /orders/{id}",
                "GET /orders/{id}",
                "PUT /orders/{id}"
            ]
        );
        assert!(!is_selected(&post, &inputs));
        offers.toggle(&post, &mut inputs);
        assert_eq!(inputs.methods, None, "back to the default");
    }

    #[test]
    fn toggling_shared_inputs_edits_the_lists_of_the_inputs() {
        let (_, mut offers) = orders();
        let role = Item::Role("arn:aws:iam::111122223333:role/service-a-role".into());
        offers.push(Offer {
            item: role.clone(),
            label: "service-a-role".into(),
            note: "service-a".into(),
        });
        offers.push(Offer {
            item: role.clone(),
            label: "again".into(),
            note: String::new(),
        });
        assert_eq!(
            offers.choices(Control::ResourcePolicy).len(),
            2,
            "no duplicate"
        );
        let mut inputs = Inputs::default();
        offers.toggle(&role, &mut inputs);
        assert_eq!(
            inputs.caller_roles,
            ["arn:aws:iam::111122223333:role/service-a-role"]
        );
        offers.toggle(&role, &mut inputs);
        assert!(inputs.caller_roles.is_empty());
        let inventory = Item::OtherApi("f6g7h8i9j0".into());
        assert!(is_selected(&inventory, &inputs), "kept by default");
        offers.toggle(&inventory, &mut inputs);
        assert_eq!(inputs.excluded_apis, ["f6g7h8i9j0"]);
        assert!(!is_selected(&inventory, &inputs));
    }

    #[test]
    fn empty_sections_say_why() {
        let posture = SandboxCloud::lab_posture();
        let status = Offers::of_api(&posture, posture.api("k1l2m3n4o5").unwrap());
        let rows = status.rows(Control::EndpointPolicy, &Inputs::default());
        assert!(rows.contains(&Row::Empty("none attached")), "{rows:?}");
        assert!(rows.contains(&Row::Empty("none: only this API")));
        assert!(
            rows.contains(&Row::Empty("none found")),
            "no caller: {rows:?}"
        );
    }
}
