//! The guided wizard's state machine, driven by messages without a terminal: opening it on an
//! API path, moving between the steps, toggling inputs (which re-plans at once), going back.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use support::keys::{done, key, press};
use ztharden::cloud::sandbox::SandboxCloud;
use ztharden::plan::{Change, StepState};
use ztharden::steps::Control;
use ztharden::tui::state::Selected;
use ztharden::tui::wizard::Item;
use ztharden::tui::{Effect, Focus, Msg, Pane, Scanned, State, Theme, View, Wizard, update};

const SERVICE_A_ROLE: &str = "arn:aws:iam::111122223333:role/service-a-role";
const SERVICE_C_ROLE: &str = "arn:aws:iam::111122223333:role/service-c-role";

/// The lab scanned at 120x36, with `orders` selected in the list.
fn on_orders() -> State {
    let mut state = State::new("SANDBOX", Theme::default());
    state.size = (120, 36);
    update(&mut state, Msg::Refresh);
    update(
        &mut state,
        done(1, Scanned::new(SandboxCloud::lab_posture())),
    );
    press(&mut state, "j");
    state
}

/// The lab with the wizard open on `orders`.
fn wizard() -> State {
    let mut state = on_orders();
    press(&mut state, "w");
    assert!(state.wizard.is_some(), "w opens the wizard");
    state
}

fn w(state: &State) -> &Wizard {
    state.wizard.as_ref().expect("the wizard is open")
}

/// Put the cursor of the inputs on the choice labelled `label`.
fn cursor_to(state: &mut State, label: &str) {
    let index = w(state)
        .offers
        .choices(w(state).step)
        .iter()
        .position(|o| o.label == label)
        .unwrap_or_else(|| panic!("{label} is not offered on this step"));
    update(state, key(KeyCode::Right));
    assert_eq!(w(state).pane, Pane::Inputs);
    press(state, "g");
    for _ in 0..index {
        press(state, "j");
    }
    assert_eq!(w(state).choice().map(|o| o.label.as_str()), Some(label));
}

fn endpoint_policy_text(state: &State) -> String {
    w(state)
        .step_plan(Control::EndpointPolicy)
        .expect("an endpoint-policy step")
        .changes
        .iter()
        .find_map(|c| match c {
            Change::SetEndpointPolicy { new, .. } => Some(new.clone()),
            _ => None,
        })
        .expect("the endpoint policy is replaced")
}

fn signed_methods(state: &State) -> Vec<String> {
    w(state)
        .step_plan(Control::IamAuth)
        .expect("an iam-auth step")
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::SetMethodAuthorization { method, .. } => {
                Some(format!("{} {}", method.http_method, method.path))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn w_on_orders_opens_the_wizard_at_step_one_with_the_inferred_inputs() {
    let state = wizard();
    let w = w(&state);
    assert_eq!(w.api_id, "a1b2c3d4e5");
    assert_eq!(w.step, Control::IamAuth);
    assert_eq!(w.pane, Pane::Steps);
    assert_eq!(w.inputs.api_ids, ["a1b2c3d4e5"]);
    assert_eq!(w.inputs.endpoint_ids, ["vpce-0e9e9e9e9e9e9e9e9"]);
    assert_eq!(w.inputs.caller_roles, [SERVICE_A_ROLE, SERVICE_C_ROLE]);
    assert_eq!(
        w.inputs.caller_groups,
        ["sg-0a1a1a1a1a1a1a1a1", "sg-0c3c3c3c3c3c3c3c3"]
    );
    let controls: Vec<Control> = w.plan.steps.iter().map(|s| s.control).collect();
    assert_eq!(controls, Control::ALL, "the four steps are planned at once");
    assert_eq!(w.diffs.len(), 4, "with a diff each");
    assert_eq!(
        signed_methods(&state),
        [
            "GET /orders",
            "POST /orders",
            "DELETE /orders/{id}",
            "GET /orders/{id}",
            "PUT /orders/{id}"
        ],
        "every NONE method but the CORS preflight"
    );
}

#[test]
fn enter_on_the_detail_of_an_api_opens_the_wizard_but_not_on_an_endpoint() {
    let mut state = on_orders();
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.focus, Focus::Detail);
    assert!(state.wizard.is_none(), "the first Enter opens the detail");
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(w(&state).api_id, "a1b2c3d4e5");

    let mut state = on_orders();
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.view, View::Endpoints);
    press(&mut state, "w");
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, key(KeyCode::Enter));
    assert!(state.wizard.is_none(), "the wizard is for API paths");
}

#[test]
fn the_steps_are_reached_with_j_k_tab_and_the_digits() {
    let mut state = wizard();
    press(&mut state, "j");
    assert_eq!(w(&state).step, Control::ResourcePolicy);
    update(&mut state, key(KeyCode::Down));
    assert_eq!(w(&state).step, Control::EndpointPolicy);
    press(&mut state, "jj");
    assert_eq!(w(&state).step, Control::EndpointSg, "stops at the last");
    press(&mut state, "k");
    assert_eq!(w(&state).step, Control::EndpointPolicy);
    update(&mut state, key(KeyCode::Tab));
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(w(&state).step, Control::IamAuth, "Tab goes round");
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!(w(&state).step, Control::EndpointSg);
    for (digit, control) in ['1', '2', '3', '4'].into_iter().zip(Control::ALL) {
        press(&mut state, &digit.to_string());
        assert_eq!(w(&state).step, control);
        assert_eq!(state.view, View::Apis, "digits pick steps, not views");
        let header = w(&state).current_diff()[0].text();
        assert!(header.contains(control.id()), "{header}");
    }
    press(&mut state, "/");
    assert!(!state.editing_filter, "no filter in the wizard");
}

#[test]
fn toggling_a_method_off_drops_its_change_at_once() {
    let mut state = wizard();
    cursor_to(&mut state, "POST /orders");
    update(&mut state, key(KeyCode::Char(' ')));
    assert!(!signed_methods(&state).contains(&"POST /orders".to_string()));
    assert_eq!(signed_methods(&state).len(), 4);
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(signed_methods(&state).len(), 5, "Enter toggles it back");
    assert_eq!(w(&state).inputs.methods, None, "back to the default");
}

#[test]
fn toggling_a_caller_role_off_takes_it_out_of_the_endpoint_policy() {
    let mut state = wizard();
    press(&mut state, "3");
    assert!(endpoint_policy_text(&state).contains(SERVICE_C_ROLE));
    let diff_before = w(&state).current_diff().to_vec();
    cursor_to(&mut state, "service-c-role");
    update(&mut state, key(KeyCode::Char(' ')));
    assert_eq!(w(&state).inputs.caller_roles, [SERVICE_A_ROLE]);
    let policy = endpoint_policy_text(&state);
    assert!(!policy.contains(SERVICE_C_ROLE), "{policy}");
    assert!(policy.contains(SERVICE_A_ROLE), "{policy}");
    assert_ne!(w(&state).current_diff(), diff_before, "the diff is redrawn");
}

#[test]
fn with_no_caller_role_left_the_inputs_are_refused_and_the_steps_blocked() {
    let mut state = wizard();
    press(&mut state, "3");
    cursor_to(&mut state, "service-a-role");
    update(&mut state, key(KeyCode::Char(' ')));
    press(&mut state, "j");
    update(&mut state, key(KeyCode::Char(' ')));
    let w = w(&state);
    assert!(w.inputs.caller_roles.is_empty());
    let error = w
        .check
        .as_ref()
        .expect_err("no caller role is an input error");
    assert!(error.contains("no caller role"), "{error}");
    assert!(
        w.step_plan(Control::EndpointPolicy).unwrap().is_blocked(),
        "{:?}",
        w.step_plan(Control::EndpointPolicy).unwrap().state
    );
}

#[test]
fn taking_the_other_api_out_of_the_endpoint_policy_drops_its_arn() {
    let mut state = wizard();
    press(&mut state, "3");
    let inventory = "arn:aws:execute-api:us-east-1:111122223333:f6g7h8i9j0/*";
    assert!(
        endpoint_policy_text(&state).contains(inventory),
        "kept by default"
    );
    cursor_to(&mut state, "inventory");
    update(&mut state, key(KeyCode::Char(' ')));
    assert_eq!(w(&state).inputs.excluded_apis, ["f6g7h8i9j0"]);
    assert!(!endpoint_policy_text(&state).contains(inventory));
    let warnings = &w(&state)
        .step_plan(Control::EndpointPolicy)
        .unwrap()
        .warnings;
    assert!(
        warnings.iter().any(|w| w.contains("inventory")),
        "who loses access is named: {warnings:?}"
    );
}

#[test]
fn toggling_a_caller_group_off_drops_its_rule_from_the_endpoint_group() {
    let mut state = wizard();
    press(&mut state, "4");
    let authorized = |state: &State| -> Vec<String> {
        w(state)
            .step_plan(Control::EndpointSg)
            .unwrap()
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::AuthorizeIngress {
                    source_group_id, ..
                } => Some(source_group_id.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        authorized(&state),
        ["sg-0a1a1a1a1a1a1a1a1", "sg-0c3c3c3c3c3c3c3c3"]
    );
    cursor_to(&mut state, "sg-0c3c3c3c3c3c3c3c3");
    update(&mut state, key(KeyCode::Char(' ')));
    assert_eq!(authorized(&state), ["sg-0a1a1a1a1a1a1a1a1"]);
}

#[test]
fn esc_goes_back_to_the_browser_with_orders_still_selected() {
    let mut state = wizard();
    press(&mut state, "3");
    update(&mut state, key(KeyCode::Esc));
    assert!(state.wizard.is_none());
    assert_eq!(state.focus, Focus::List);
    assert!(matches!(state.selection(), Some(Selected::Api(_, api)) if api.name == "orders"));
    press(&mut state, "w");
    assert_eq!(w(&state).step, Control::IamAuth, "opened afresh");
}

#[test]
fn the_review_scrolls_within_its_text() {
    let mut state = wizard();
    press(&mut state, "3");
    update(&mut state, key(KeyCode::PageDown));
    let paged = w(&state).scroll;
    assert!(paged > 10, "a page is most of the pane: {paged}");
    press(&mut state, "llG");
    assert_eq!(w(&state).pane, Pane::Review);
    let bottom = w(&state).scroll;
    press(&mut state, "jjj");
    assert_eq!(w(&state).scroll, bottom, "stops at the end");
    press(&mut state, "k");
    assert_eq!(w(&state).scroll, bottom - 1);
    press(&mut state, "2");
    assert_eq!(w(&state).scroll, 0, "another step starts at its top");
    update(
        &mut state,
        Msg::Resize {
            width: 120,
            height: 300,
        },
    );
    update(&mut state, key(KeyCode::PageDown));
    assert_eq!(w(&state).scroll, 0, "nothing to scroll in a tall terminal");
}

#[test]
fn a_refresh_keeps_the_wizard_its_step_and_its_choices() {
    let mut state = wizard();
    press(&mut state, "3");
    cursor_to(&mut state, "service-c-role");
    update(&mut state, key(KeyCode::Char(' ')));
    assert_eq!(
        press(&mut state, "r"),
        [Effect::StartScan { generation: 2 }]
    );
    update(
        &mut state,
        done(2, Scanned::new(SandboxCloud::lab_posture())),
    );
    let w = w(&state);
    assert_eq!(w.step, Control::EndpointPolicy);
    assert_eq!(
        w.inputs.caller_roles,
        [SERVICE_A_ROLE],
        "the choice is kept"
    );
    assert!(!endpoint_policy_text(&state).contains(SERVICE_C_ROLE));

    let mut posture = SandboxCloud::lab_posture();
    posture.apis.retain(|a| a.name != "orders");
    press(&mut state, "r");
    update(&mut state, done(3, Scanned::new(posture)));
    assert!(state.wizard.is_none(), "the API is gone: back to the list");
}

#[test]
fn help_q_and_ctrl_c_work_in_the_wizard() {
    let mut state = wizard();
    press(&mut state, "?");
    assert!(state.help);
    press(&mut state, "j");
    assert_eq!(w(&state).step, Control::IamAuth, "keys stay in the help");
    update(&mut state, key(KeyCode::Esc));
    assert!(!state.help);
    assert!(state.wizard.is_some(), "Esc closed the help only");
    assert_eq!(press(&mut state, "q"), [Effect::Quit]);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut wizard(), ctrl_c), [Effect::Quit]);
}

#[test]
fn the_offers_of_orders_are_its_methods_callers_endpoint_and_neighbour() {
    let state = wizard();
    let items: Vec<&Item> = w(&state).offers.offers.iter().map(|o| &o.item).collect();
    assert!(items.contains(&&Item::Role(SERVICE_A_ROLE.into())));
    assert!(items.contains(&&Item::Group("sg-0c3c3c3c3c3c3c3c3".into())));
    assert!(items.contains(&&Item::Endpoint("vpce-0e9e9e9e9e9e9e9e9".into())));
    assert!(items.contains(&&Item::OtherApi("f6g7h8i9j0".into())));
    assert!(
        !items.contains(&&Item::Group("sg-0e9e9e9e9e9e9e9e9".into())),
        "the endpoint's own group is not a caller's"
    );
    let ready = |c: Control| w(&state).step_plan(c).map(|s| s.state.clone());
    assert_eq!(ready(Control::IamAuth), Some(StepState::Ready));
}

/// The inputs are shared: a step change keeps the cursor on the same choice, so that Space
/// right after it does not toggle something else.
#[test]
fn the_cursor_stays_on_its_choice_across_steps() {
    let mut state = wizard();
    press(&mut state, "3");
    cursor_to(&mut state, "service-c-role");
    for step in ["4", "1", "2"] {
        press(&mut state, step);
        assert_eq!(
            w(&state).choice().map(|o| o.label.as_str()),
            Some("service-c-role"),
            "on step {step}"
        );
    }
    press(&mut state, "1");
    press(&mut state, "g");
    assert_eq!(
        w(&state).choice().map(|o| o.label.as_str()),
        Some("GET /orders")
    );
    press(&mut state, "2");
    assert_eq!(w(&state).cursor, 0, "a method is not offered on step 2");
}
